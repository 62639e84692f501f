#!/usr/bin/env bash
# Re-records test/parity/expected.json from the real OpenClaw CLI ($AUTHWATCH_OPENCLAW, default
# /opt/openclaw/openclaw.sh). Review the diff: every changed answer is a change of OpenClaw's
# behaviour (or of a home) that authwatch's --policy openclaw must follow.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run build --silent
UPDATE_PARITY=1 npx vitest run test/parity/openclaw-parity.e2e.test.ts "$@" || true
git diff --stat -- test/parity/expected.json
