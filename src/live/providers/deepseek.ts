import { amount, bearer, classifyList, field, lookupInList, type LiveChecker } from '../provider.js';
import type { Money } from '../../evaluate/live.js';

/** DeepSeek API key: `GET /user/balance`; `is_available:false` means no balance left for API calls. */
export const deepseek: LiveChecker = {
  name: 'deepseek',
  provider: 'deepseek',
  defaultBaseUrl: 'https://api.deepseek.com',
  quota: false,
  readsBody: true,
  topUp: 'top up at platform.deepseek.com',
  types: ['api_key'],
  request: bearer('/user/balance'),
  classify(answer) {
    if (answer.status === 200 && field(answer.body, 'is_available') === false) return { verdict: 'no-credit', message: 'is_available: false' };
    if (answer.status !== 200) return classifyList(answer);
    // balance_infos[]: one balance per currency, amounts as decimal strings (OpenClaw's provider-usage.fetch.deepseek reads the same).
    const infos = field(answer.body, 'balance_infos');
    const money: Money[] = (Array.isArray(infos) ? infos : []).flatMap((info) => {
      const total = amount(field(info, 'total_balance'));
      const currency = field(info, 'currency');
      return total === null || typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency) ? [] : [{ name: 'balance', unit: currency.toUpperCase(), spent: null, limit: null, period: 'total', left: total, today: null }];
    });
    return { verdict: 'works', message: '', money };
  },
  // `GET /models` lists every model (`{object:"list",data:[{id:"deepseek-chat",…}]}`, api-docs.deepseek.com/api/list-models).
  models: lookupInList('/models'),
};
