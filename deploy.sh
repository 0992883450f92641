#!/usr/bin/env bash
# Build the function archives, apply infra/envs/prod, and point the Telegram bot at its webhook.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ENV_DIR="$ROOT/infra/envs/prod"
BUILD_DIR="${BUILD_DIR:-$ROOT/.build}"
STATE_PREFIX="chartgenius/prod"

usage() {
  cat <<'EOF'
Usage: PROJECT_ID=<project> REGION=<region> ./deploy.sh [--plan | --build-only] [--skip-webhook] [--skip-web]

Builds one source archive per function (functions/<name>/main.py and its lock file
functions/<name>/requirements.txt — exact versions with hashes, made by `make lock` — at the
root, plus a copy of shared/), named by its content hash; applies the Terraform in
infra/envs/prod with those archives; builds the web app (npm ci && npm run build in web/) and
releases it to its Firebase Hosting site with this environment's runtime config
(scripts/web_hosting.py); then registers the telegram_webhook function's URL with Telegram
(python -m shared.bot.set_webhook).

Required environment:
  PROJECT_ID          Google Cloud project to deploy into
  REGION              region of the functions, buckets and scheduler (e.g. europe-west1)

Optional environment:
  FIRESTORE_LOCATION  Firestore location (default: REGION; e.g. eur3). Fixed once created.
  TF_STATE_BUCKET     bucket of the Terraform state (default: <PROJECT_ID>-tfstate, created if absent)
  TELEGRAM_BOT_TOKEN  stored in Secret Manager when that secret has no value yet (required
                      then); likewise the optional OPENAI_API_KEY, HUGGINGFACE_API_TOKEN and
                      COINGECKO_API_KEY. JWT_SIGNING_KEY, METRICS_TOKEN and
                      TELEGRAM_WEBHOOK_SECRET are generated when they have no value.
                      (infra/envs/prod/secrets.json lists them.)
  SCAN_SYMBOLS        restrict the scheduled scan to these pairs (default: empty = every
                      pair on a watchlist)
  SCAN_TIMEFRAME      timeframe of the scheduled market scan (default: 4h)
  TF_VAR_<name>       any other variable of infra/envs/prod/variables.tf
  AUTO_APPROVE=1      apply without asking (implied by CI=true)
  WEB_PREBUILT=1      release the web build already in web/dist instead of building it
  TF_VAR_web_site_id  the Firebase Hosting site (default: <PROJECT_ID>-web -> https://<id>.web.app)
  PYTHON              Python with requirements.txt installed (default: .venv/bin/python, else python3)
  BUILD_DIR           where archives are written (default: .build)

Options:
  --plan              build, then show what Terraform would change; change nothing
  --build-only        build the function archives and stop (needs no cloud access; no web build)
  --skip-webhook      do not call setWebhook
  --skip-web          neither build nor release the web app
  -h, --help          this text
EOF
}

die() {
  echo "deploy: $*" >&2
  exit 1
}

say() {
  echo "deploy: $*" >&2
}

MODE=apply
WEBHOOK=1
WEB=1
while (($#)); do
  case "$1" in
    --plan) MODE=plan ;;
    --build-only) MODE=build ;;
    --skip-webhook) WEBHOOK=0 ;;
    --skip-web) WEB=0 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown option: $1"
      ;;
  esac
  shift
done

if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
command -v "$PYTHON" >/dev/null || die "no Python found ($PYTHON); set PYTHON or run 'make install'"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

# --- 0. preconditions ------------------------------------------------------------------------
if [[ "$MODE" != build ]]; then
  [[ -n "${PROJECT_ID:-}" ]] || { usage >&2; die "PROJECT_ID is not set (the Google Cloud project to deploy into)"; }
  [[ -n "${REGION:-}" ]] || { usage >&2; die "REGION is not set (e.g. REGION=europe-west1)"; }
  if [[ -d "$ROOT/.tools/bin" ]]; then export PATH="$ROOT/.tools/bin:$PATH"; fi
  command -v terraform >/dev/null || die "terraform is not installed (Terraform >= 1.5 is needed; see infra/README.md)"
  "$PYTHON" -c "import google.cloud.secretmanager, google.cloud.storage, pydantic" 2>/dev/null \
    || die "$PYTHON lacks the project's packages: run 'make install' or set PYTHON"
fi

# --- 1. archives ----------------------------------------------------------------------------
# A zip is byte-for-byte the same when its inputs are (sorted entries, fixed timestamps and
# modes), so its hash names its content: Terraform names the uploaded object by that hash, and
# only a function whose code, requirements or shared/ changed is rebuilt.
build_archives() {
  rm -rf "$BUILD_DIR/functions"
  mkdir -p "$BUILD_DIR/functions"
  "$PYTHON" - "$ROOT" "$BUILD_DIR/functions" <<'PY'
import hashlib
import json
import sys
import zipfile
from pathlib import Path

root, out = Path(sys.argv[1]), Path(sys.argv[2])
shared = sorted(
    p for p in (root / "shared").rglob("*")
    if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
)
archives = {}
for main in sorted((root / "functions").glob("*/main.py")):
    name = main.parent.name
    requirements = main.parent / "requirements.txt"
    if not requirements.is_file():
        sys.exit(f"deploy: functions/{name}/requirements.txt is missing (run `make lock`)")
    if "--hash=sha256:" not in requirements.read_text():
        sys.exit(f"deploy: functions/{name}/requirements.txt is not a lock file (run `make lock`)")
    entries = [("main.py", main), ("requirements.txt", requirements)]
    entries += [(p.relative_to(root).as_posix(), p) for p in shared]
    staging = out / f"{name}.zip"
    with zipfile.ZipFile(staging, "w", zipfile.ZIP_DEFLATED) as archive:
        for arcname, path in sorted(entries):
            info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    digest = hashlib.sha256(staging.read_bytes()).hexdigest()
    final = staging.with_name(f"{name}-{digest[:16]}.zip")
    staging.rename(final)
    archives[name] = str(final)
    print(f"deploy: {name:<17} {digest[:16]}  {final.stat().st_size // 1024} KiB", file=sys.stderr)
if not archives:
    sys.exit("deploy: no functions/<name>/main.py found")
print(json.dumps(archives))
PY
}

say "building archives in $BUILD_DIR/functions"
ARCHIVES_JSON="$(build_archives)"

# The web app: one static build for every environment; /config.js is written per environment
# at release time (step 6), so nothing here depends on the cloud.
if [[ "$MODE" == build ]]; then
  WEB=0 # --build-only: the function archives only
elif ((WEB == 1)) && [[ "${WEB_PREBUILT:-}" == 1 ]]; then
  [[ -f "$ROOT/web/dist/index.html" ]] || die "WEB_PREBUILT=1 but web/dist/index.html is missing"
  say "using the web build in web/dist (WEB_PREBUILT=1)"
elif ((WEB == 1)); then
  command -v npm >/dev/null || die "npm is not installed (Node 20 builds web/); or use --skip-web"
  [[ -f "$ROOT/web/package.json" ]] || die "web/package.json is missing: there is no web app to build; use --skip-web"
  say "building the web app (npm ci && npm run build in web/)"
  (cd "$ROOT/web" && npm ci --no-audit --no-fund --loglevel=error && npm run build) >&2 \
    || die "the web app did not build (see above)"
fi
if [[ "$MODE" == build ]]; then
  say "archives built; stopping (--build-only)"
  exit 0
fi

# --- 2. inputs from the code ------------------------------------------------------------------
TF_STATE_BUCKET="${TF_STATE_BUCKET:-$PROJECT_ID-tfstate}"
if [[ "$MODE" == apply && ( "${CI:-}" == true || "${AUTO_APPROVE:-}" == 1 ) ]]; then
  APPROVE=(-auto-approve)
else
  APPROVE=()
fi

# The scheduled scan's topic and message come from the code (shared.topics, shared.events), so
# the scheduler publishes exactly what market_fetcher decodes. event_id and occurred_at are left
# out: each delivery gets its own.
SCAN_JSON="$("$PYTHON" - <<'PY'
import json
import os

from shared import topics
from shared.events import MarketScanRequested

symbols = [s.strip() for s in os.environ.get("SCAN_SYMBOLS", "").split(",") if s.strip()]
message = MarketScanRequested(
    correlation_id="scheduled-scan", scan_id="scheduled-scan",
    symbols=symbols, timeframe=os.environ.get("SCAN_TIMEFRAME", "4h"),
)
print(json.dumps({
    "scan_topic": topics.MARKET_SCAN,
    "scan_message": message.model_dump_json(exclude={"event_id", "occurred_at"}),
}))
PY
)" || die "could not build the scheduled scan message (check SCAN_SYMBOLS / SCAN_TIMEFRAME)"

# --- 3. Terraform state bucket ----------------------------------------------------------------
"$PYTHON" - "$PROJECT_ID" "$REGION" "$TF_STATE_BUCKET" "$MODE" <<'PY'
import sys

from google.cloud import storage

project, region, name, mode = sys.argv[1:5]
client = storage.Client(project=project)
if client.lookup_bucket(name) is not None:
    sys.exit(0)
if mode == "plan":
    sys.exit(f"deploy: the state bucket gs://{name} does not exist yet; run ./deploy.sh once (or set TF_STATE_BUCKET)")
bucket = client.bucket(name)
bucket.versioning_enabled = True
bucket.iam_configuration.uniform_bucket_level_access_enabled = True
bucket.iam_configuration.public_access_prevention = "enforced"
client.create_bucket(bucket, location=region)
print(f"deploy: created the state bucket gs://{name}", file=sys.stderr)
PY

tf() { terraform -chdir="$ENV_DIR" "$@"; }

say "terraform init (state: gs://$TF_STATE_BUCKET/$STATE_PREFIX)"
tf init -input=false -reconfigure \
  -backend-config="bucket=$TF_STATE_BUCKET" -backend-config="prefix=$STATE_PREFIX" >&2

VARS_FILE="$BUILD_DIR/deploy.tfvars.json"
write_vars() { # $1: JSON list of secrets that have a value
  "$PYTHON" - "$VARS_FILE" "$ARCHIVES_JSON" "$SCAN_JSON" "$1" <<'PY'
import json
import os
import sys

path, archives, scan, with_value = sys.argv[1:5]
tfvars = {
    "project_id": os.environ["PROJECT_ID"],
    "region": os.environ["REGION"],
    "source_archives": json.loads(archives),
    "secrets_with_value": json.loads(with_value),
    **json.loads(scan),
}
if os.environ.get("FIRESTORE_LOCATION"):
    tfvars["firestore_location"] = os.environ["FIRESTORE_LOCATION"]
with open(path, "w") as out:
    json.dump(tfvars, out, indent=2)
PY
}

# --- 4. secrets: containers first, then values -------------------------------------------------
if [[ "$MODE" == apply ]]; then
  write_vars '[]'
  say "enabling APIs and creating the Secret Manager secrets (no values)"
  tf apply -input=false -auto-approve -var-file="$VARS_FILE" \
    -target=google_project_service.api -target=google_secret_manager_secret.secret >&2
fi

# Prints the JSON list of secrets that have a value. Values are never printed.
SECRETS_JSON="$("$PYTHON" - "$PROJECT_ID" "$ENV_DIR/secrets.json" "$MODE" <<'PY'
import json
import os
import secrets
import sys

from google.api_core import exceptions
from google.cloud import secretmanager

project, catalog_file, mode = sys.argv[1:4]
with open(catalog_file) as f:
    catalog = json.load(f)["secrets"]
client = secretmanager.SecretManagerServiceClient()
with_value, missing = [], []
for name, spec in sorted(catalog.items()):
    parent = client.secret_path(project, name)
    try:
        versions = client.list_secret_versions(request={"parent": parent, "filter": "state:ENABLED"})
        has_value = next(iter(versions), None) is not None
    except exceptions.NotFound:
        has_value = False
    if not has_value and mode == "apply":
        given = os.environ.get(name, "")
        value = given or (secrets.token_urlsafe(48) if spec["value"] == "generated" else "")
        if value:
            client.add_secret_version(request={"parent": parent, "payload": {"data": value.encode()}})
            origin = "from the environment" if given else "generated"
            print(f"deploy: stored a value for {name} ({origin})", file=sys.stderr)
            has_value = True
    if has_value:
        with_value.append(name)
    elif spec["value"] != "optional":
        missing.append(name)
if missing and mode == "apply":
    for name in missing:
        print(f"deploy: secret {name} has no value. Export {name} and rerun, or add it with:\n"
              f"  printf %s \"$VALUE\" | gcloud secrets versions add {name} --project {project} --data-file=-",
              file=sys.stderr)
    sys.exit(1)
if missing:
    print(f"deploy: (plan) these secrets need a value before the first apply: {', '.join(missing)}",
          file=sys.stderr)
    with_value += missing
print(json.dumps(sorted(with_value)))
PY
)" || die "secrets are not ready (see above)"
write_vars "$SECRETS_JSON"

# --- 5. plan or apply -------------------------------------------------------------------------
if [[ "$MODE" == plan ]]; then
  tf plan -input=false -var-file="$VARS_FILE"
  exit 0
fi
say "terraform apply"
tf apply "${APPROVE[@]}" -var-file="$VARS_FILE"

API_URL="$(tf output -raw api_url)"
WEBHOOK_URL="$(tf output -raw telegram_webhook_url)"
DATA_BUCKET="$(tf output -raw data_bucket)"
say "api:              $API_URL"
say "telegram webhook: $WEBHOOK_URL"

# --- 6. the web app ---------------------------------------------------------------------------
if ((WEB == 1)); then
  tf output -json >"$BUILD_DIR/outputs.json"
  say "releasing web/dist to Firebase Hosting"
  "$PYTHON" "$ROOT/scripts/web_hosting.py" --outputs "$BUILD_DIR/outputs.json" --dist "$ROOT/web/dist" \
    || die "the infrastructure is deployed, but the web release failed; rerun ./deploy.sh"
  rm -f "$BUILD_DIR/outputs.json"
  say "web:              $(tf output -raw web_url)"
fi

# --- 7. Telegram webhook ----------------------------------------------------------------------
if ((WEBHOOK == 0)); then
  say "not setting the Telegram webhook (--skip-webhook)"
elif ! "$PYTHON" -c 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("shared.bot.set_webhook") else 1)' 2>/dev/null; then
  say "shared/bot/set_webhook.py does not exist yet: the Telegram webhook was NOT set."
  say "point the bot at $WEBHOOK_URL (with the TELEGRAM_WEBHOOK_SECRET as secret_token) by hand"
else
  say "registering the webhook with Telegram"
  # The production wiring, so the bot token and webhook secret come from Secret Manager (the
  # values the functions use), never from this shell's environment.
  env -u TELEGRAM_BOT_TOKEN -u TELEGRAM_WEBHOOK_SECRET \
    CHARTGENIUS_ENV=production CHARTGENIUS_STORE=firestore CHARTGENIUS_BUS=pubsub \
    CHARTGENIUS_BLOBS=gcs CHARTGENIUS_BUCKET="$DATA_BUCKET" GOOGLE_CLOUD_PROJECT="$PROJECT_ID" \
    CHARTGENIUS_DATA_DIR="$BUILD_DIR/runtime" CHARTGENIUS_TELEGRAM_WEBHOOK_URL="$WEBHOOK_URL" \
    "$PYTHON" -m shared.bot.set_webhook "$WEBHOOK_URL" \
    || die "the infrastructure is deployed, but setWebhook failed; rerun ./deploy.sh or run python -m shared.bot.set_webhook $WEBHOOK_URL"
fi
say "done"
