#!/usr/bin/env bash
# What a blind volunteer's screen reader gets, checked over the real AT-SPI stack (as Orca uses it):
#
#   packaging/a11y-check.sh [FARO]        (default: $CARGO_TARGET_DIR or target, release/faro)
#
# Runs ../shared/tools/a11y-probe (Xvfb, a session bus, the AT-SPI bus marked "screen reader on")
# on Faro with a fresh data folder and the small module in tests/fixtures/good/minimal, once in
# English and once in Spanish, and drives the whole journey from the keyboard: name → library →
# content note → page → scenario note → a critical choice → F1 and back → try again → two safe
# choices → the end of the scenario → the quiz → the result. After each step it checks, from the
# AT-SPI tree and its focus and announcement events:
#   - a named widget, not the window, has the focus;
#   - the text that came with the step (content note, page, critical-choice explanation, feedback,
#     outcome, quiz explanation, result) is in the focused widget's description or was announced;
#   - the window is named "Faro — <screen>".
# Needs (Debian; installed by .ci/run): xvfb xdotool dbus-x11 at-spi2-core python3-pyatspi.
# The probe stops everything it started, by process id.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

faro=${1:-${CARGO_TARGET_DIR:-target}/release/faro}
probe=../shared/tools/a11y-probe
[ -x "$faro" ] || { echo "a11y-check: no faro at $faro (cargo build --release)" >&2; exit 2; }
[ -x "$probe" ] || { echo "a11y-check: no $probe (the shared tools sit beside the repository)" >&2; exit 2; }

failures=0
fail() {
  echo "a11y-check: FAILED ($lang, $1): $2" >&2
  failures=$((failures + 1))
}

# One run: the language, the name typed (as xdotool keys), then what each step must say.
run() {
  lang=$1
  local data out
  data=$(mktemp -d)
  printf '(lang: "%s", theme: Light, zoom: 1.0, region: "us")\n' "$lang" >"$data/settings.ron"
  # The keys of each step, separated by '|' (xdotool key names).
  local keys="A n a Return | Return | Return | Return | Return | 2 | F1 | F1 | Return | 1 | 1 | Return | Tab Return | Return"
  out=$(FARO_DATA_DIR="$data" FARO_MODULES_DIR="$PWD/tests/fixtures/good/minimal" \
    "$probe" --wait 1.5 --keys "$keys" -- "$faro" 2>&1) || true
  rm -rf "$data"
  # Descriptions span lines; one line per step, with " / " where the lines were.
  out=$(echo "$out" | awk '/^(step [0-9]+ |start: |a11y-probe)/ { if (line != "") print line; line = $0; next } { line = line " / " $0 } END { if (line != "") print line }')
  echo "$out" | sed "s/^/[$lang] /"
  shift
  local step=0
  for expected in "$@"; do
    step=$((step + 1))
    local line
    line=$(echo "$out" | grep "^step $step " || true)
    [ -n "$line" ] || { fail "step $step" "the probe printed no line for it"; continue; }
    local focus=${line#*focus=}
    focus=${focus%% heard=*}
    case "$focus" in
      nothing* | frame* | window* | "?"*) fail "step $step" "nothing but the window has the focus: $focus" ;;
    esac
    case "$focus" in
      *"''"*) fail "step $step" "the focused widget has no name: $focus" ;;
    esac
    [ "$expected" = "-" ] && continue
    # The text must be in the focused widget (its name or description) or have been heard.
    echo "$line" | grep -qF -- "$expected" || fail "step $step" "nothing said \"$expected\": $line"
  done
  echo "$out" | grep -q "window='Faro — " || fail "window" "the window is not named \"Faro — <screen>\""
}

# What each step must say, in order (- for "a named widget has the focus" only).
run en \
  "Start: A minimal example" \
  "This module mentions exploitation" \
  "Volunteers notice and report." \
  "A child may be at risk." \
  "A girl looks scared." \
  "Confronting can put the girl and you in danger." \
  "Copy the " \
  "Try the scenario again" \
  "A girl looks scared." \
  "Good: you stay safe and keep the facts." \
  "You reported safely." \
  "You should confront a suspected trafficker." \
  "Right: notice, note, report." \
  "You passed this module."

run es \
  "Empezar: Un ejemplo mínimo" \
  "Este módulo menciona la explotación" \
  "Las personas voluntarias observan y reportan." \
  "Un menor puede estar en riesgo." \
  "Una niña se ve asustada." \
  "Confrontar puede poner en peligro a la niña y a usted." \
  "Copiar el " \
  "Intentar el escenario de nuevo" \
  "Una niña se ve asustada." \
  "Bien: se mantiene a salvo y guarda los hechos." \
  "Reportó de forma segura." \
  "Debe confrontar a un presunto tratante." \
  "Correcto: observar, anotar, reportar." \
  "Usted aprobó este módulo."

if [ "$failures" -gt 0 ]; then
  echo "a11y-check: $failures check(s) failed (the probe's lines are above)" >&2
  exit 1
fi
echo "a11y-check: passed in English and Spanish"
