#!/usr/bin/env bash
# The pictures of the guides for HR and directors (docs/guide-fr.md, docs/guide-en.md), made once
# and committed. Not a test: CI does not run it; run it again by hand when the pages or the
# sheets change, look at every picture, and commit them.
#
#     cargo build && bash docs/pictures/make.sh          # from the repository's root
#     KEEP=1 bash docs/pictures/make.sh                 # …and keep its temporary folder, to look
#
# Needs: a built proone-sync (PROONE_SYNC=path, default target/debug/proone-sync), Chromium,
# LibreOffice (soffice), poppler-utils (pdftoppm), ImageMagick (convert), curl, and python3 with
# openpyxl (Debian: python3-openpyxl) to lay the sheets out on one page and fill the examples.
# Everything runs against the demo's built-in portal emulator in a temporary folder: nothing is
# written in the repository but the PNG files below.
#
#   plan-fr.png, plan-en.png                 the top of a plan's HTML page: the cards, the changes
#                                            made by hand since the last run, the bar charts
#   plan-personnes-fr.png, plan-people-en.png  the same page further down: each person, before → after
#   plan-problemes-fr.png, plan-problems-en.png  the same page: the problems, each with its place
#   revue-fr.png, review-en.png              a review sheet as a director filled it (Garder/Retirer)
#   modele-fr.png, template-en.png           the staff workbook template, with three example rows
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${PROONE_SYNC:-$root/target/debug/proone-sync}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
py=${PYTHON:-/usr/bin/python3}
im=${CONVERT:-/usr/bin/convert}          # ImageMagick's, not a stand-in earlier in PATH
[ -x "$bin" ] || { echo "no $bin: run cargo build first (or set PROONE_SYNC)" >&2; exit 1; }
for tool in chromium soffice pdftoppm curl "$im" "$py"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
"$py" -c 'import openpyxl' || { echo "missing: python3 openpyxl (apt-get install python3-openpyxl)" >&2; exit 1; }

work=$(mktemp -d)
emu_pid=
cleanup() { [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null; [ -n "${KEEP:-}" ] && echo "kept: $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT

shot() {  # shot HTML PNG HEIGHT: the page as a 1280-pixel-wide window shows it
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$(mktemp -d -p "$work")" --window-size=1280,"$3" \
    --screenshot="$2" "file://$1" >/dev/null 2>&1
}

crop() {  # crop IN OUT Y HEIGHT: a band of the page, 1280 wide, then 8-bit colours to stay small
  "$im" "$1" -crop 1280x"$4"+0+"$3" +repage -colors 256 PNG8:"$2"
}

sheet_png() {  # sheet_png XLSX PNG: the first sheet of the workbook, as LibreOffice prints it
  local out; out=$(mktemp -d -p "$work")
  soffice -env:UserInstallation=file://"$work/lo-profile" --headless --convert-to pdf \
    --outdir "$out" "$1" >/dev/null 2>&1
  pdftoppm -png -r 150 -f 1 -l 1 "$out"/*.pdf "$out/page"
  "$im" "$out"/page-1.png -trim -bordercolor white -border 16 -colors 256 PNG8:"$2"
}

layout() {  # layout IN OUT SHEET FILL.json: keep SHEET alone, one page wide, grid and headings, examples filled
  "$py" - "$@" <<'PY'
import datetime, json, sys
import openpyxl
src, dst, name, fill = sys.argv[1:5]
spec = json.loads(fill)
wb = openpyxl.load_workbook(src)
for ws in list(wb.worksheets):
    if ws.title != name:
        wb.remove(ws)
ws = wb[name]
ws.page_setup.orientation = "landscape"
ws.page_setup.paperSize = ws.PAPERSIZE_A4
ws.sheet_properties.pageSetUpPr.fitToPage = True
ws.page_setup.fitToWidth = 1
ws.page_setup.fitToHeight = 0
ws.print_options.gridLines = True
ws.print_options.headings = True
hr = spec["header_row"]
headers = {str(c.value).strip(): c.column for c in ws[hr] if c.value is not None}
def row_of(key):
    if key.isdigit():
        return int(key)
    col = headers[spec["key"]]
    return next(r for r in range(hr + 1, ws.max_row + 1) if ws.cell(row=r, column=col).value == key)
for key, values in spec["rows"].items():
    r = row_of(key)
    for header, value in values.items():
        if isinstance(value, str) and value.startswith("date:"):
            value = datetime.datetime.strptime(value[5:], "%d/%m/%Y")
        cell = ws.cell(row=r, column=headers[header], value=value)
        if isinstance(value, datetime.datetime):
            cell.number_format = "DD/MM/YYYY"  # day first, as the template shows its dates
last = max(r for r in range(1, ws.max_row + 1) if any(c.value is not None for c in ws[r]))
last += spec.get("extra_rows", 0)
for key, dim in list(ws.column_dimensions.items()):  # the file's own widths may span several columns
    dim.min = dim.max = openpyxl.utils.column_index_from_string(key)
for col in range(1, ws.max_column + 1):  # each column as wide as what it shows, the dates included
    cells = [ws.cell(row=r, column=col) for r in range(hr, last + 1)]
    width = max([10 if isinstance(c.value, datetime.datetime) else len(str(c.value or "")) for c in cells])
    ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = min(max(width + 2, 6), 72)
ws.print_area = f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{last}"
wb.save(dst)
PY
}

user_id() {  # user_id ADDR E-MAIL
  curl -sf -H 'Authorization: Bearer tok-admin-7f3c9a' "http://$1/api/v1/users?limit=500" |
    "$py" -c 'import json, sys
d = json.load(sys.stdin)
print(next(u["id"] for u in d.get("items", d.get("users", [])) if u["email"] == sys.argv[1]))' "$2"
}

nrn() {  # nrn YYMMDDSSS BORN_2000_OR_LATER(0|1): a valid Belgian national number, dotted
  "$py" -c 'import sys
n, y2k = sys.argv[1], sys.argv[2] == "1"
c = 97 - int(("2" if y2k else "") + n) % 97
print(f"{n[0:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{c:02d}")' "$1" "$2"
}

make_lang() {  # make_lang fr|en: one demo portal, its pages and sheets in that language
  local lang=$1 d="$work/$1"
  mkdir -p "$d/fx"
  cp "$root"/fixtures/{personnel.xlsx,acces-grille.xlsx,toegang-nl.ods,nouveaux-cp1252.csv,portal-seed.json} "$d/fx/"
  cat > "$d/demo.toml" <<EOF
language = "$lang"
inputs = ["fx/personnel.xlsx", "fx/acces-grille.xlsx", "fx/toegang-nl.ods", "fx/nouveaux-cp1252.csv"]
[portal.emulator]
seed = "fx/portal-seed.json"
token = "tok-admin-7f3c9a"
[review]
coordinator = "direction@lespetitspas.be"
reviewers = { "MA-00101" = { email = "marie.dupont@lespetitspas.be", lang = "$lang" } }
EOF
  cd "$d"
  # A first night with one staff file only (exit 3: it holds deliberate mistakes).
  "$bin" --config demo.toml -q apply fx/personnel.xlsx --yes 2>>"$d/log" || [ $? -eq 3 ]

  # Two changes made by hand in the portal's web page since: the emulator on the same state.
  "$bin" emulator --state "$d/.proone-sync/portal.sqlite" --seed fx/portal-seed.json > "$d/emu.out" 2>&1 &
  emu_pid=$!
  for _ in $(seq 50); do [ -s "$d/emu.out" ] && break; sleep 0.1; done
  local addr; addr=$(head -n1 "$d/emu.out")
  local marie elodie
  marie=$(user_id "$addr" marie.dupont@lespetitspas.be)
  elodie=$(user_id "$addr" elodie.vandenberg@lespetitspas.be)
  curl -sf -o /dev/null -X PUT -H 'Authorization: Bearer tok-admin-7f3c9a' "http://$addr/api/v1/users/$marie/structures/MA-00108"
  curl -sf -o /dev/null -X DELETE -H 'Authorization: Bearer tok-admin-7f3c9a' "http://$addr/api/v1/users/$elodie/dossiers/bilans"
  kill "$emu_pid"; wait "$emu_pid" 2>/dev/null || true; emu_pid=

  # The plan of the next night, with every staff file: its HTML page, cut at its headings
  # (1 drift, 2 charts, 3 by person, 4 problems, 5 portal users no file names).
  "$bin" --config demo.toml -q --lang "$lang" plan --report "$d/plan.html" 2>>"$d/log" || [ $? -eq 3 ]
  shot "$d/plan.html" "$d/plan-full.png" 4200
  local -a h2
  read -r -a h2 <<< "$(headings "$d/plan.html" 4200)"
  local people=$(( h2[2] - 12 )) problems=$(( h2[3] - 12 ))
  crop "$d/plan-full.png" "$here/${names[plan]}" 0 "$people"
  crop "$d/plan-full.png" "$here/${names[people]}" "$people" $(( problems - people ))
  crop "$d/plan-full.png" "$here/${names[problems]}" "$problems" 780

  # That night applied; then a review campaign for Crèche Les Lutins, whose director is Marie
  # Dupont, and her sheet as she fills it.
  "$bin" --config demo.toml -q apply --yes 2>>"$d/log" || [ $? -eq 3 ]
  "$bin" --config demo.toml -q --lang "$lang" review start --structure MA-00101 --out "$d/revue" 2>>"$d/log"
  layout "$d/revue/MA-00101.xlsx" "$d/revue-filled.xlsx" "${names[review_sheet]}" "${names[review_fill]}"
  sheet_png "$d/revue-filled.xlsx" "$here/${names[review]}"

  # A template for HR, with three example rows.
  "$bin" --config demo.toml -q --lang "$lang" template --out "$d/modele.xlsx" 2>>"$d/log"
  layout "$d/modele.xlsx" "$d/modele-filled.xlsx" "${names[template_sheet]}" "${names[template_fill]}"
  sheet_png "$d/modele-filled.xlsx" "$here/${names[template]}"
  cd "$root"
}

headings() {  # headings HTML HEIGHT: the top of each <h2> of the page, in pixels, as Chromium lays it out
  local probe="$work/probe.html"
  sed 's|</body>|<script>document.body.setAttribute("data-h2", [...document.querySelectorAll("h2")].map(h => Math.round(h.getBoundingClientRect().top + scrollY)).join(" "))</script></body>|' "$1" > "$probe"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$(mktemp -d -p "$work")" --window-size=1280,"$2" \
    --dump-dom "file://$probe" 2>/dev/null | sed -n 's/.*data-h2="\([0-9 ]*\)".*/\1/p'
}

marie=$(nrn 850730033 0); lucas=$(nrn 030512101 1); emma=$(nrn 961104215 0)

declare -A names
names=(
  [plan]=plan-fr.png [people]=plan-personnes-fr.png [problems]=plan-problemes-fr.png
  [review]=revue-fr.png [review_sheet]=Revue [template]=modele-fr.png [template_sheet]=Personnel
  [review_fill]='{"header_row": 3, "key": "Email", "rows": {
    "anais.lefevre@lespetitspas.be": {"Décision": "Garder"},
    "zoe.muller@lespetitspas.be": {"Décision": "Garder"},
    "noah.vandenberg32@lespetitspas.be": {"Décision": "Retirer", "Commentaire": "A quitté la crèche en octobre"},
    "elodie.vandenberg@lespetitspas.be": {"Décision": "Garder"},
    "eva.willems8@lespetitspas.be": {"Commentaire": "Je vérifie avec le pouvoir organisateur"}}}'
  [template_fill]='{"header_row": 1, "extra_rows": 3, "rows": {
    "2": {"Nom": "Dupont", "Prénom": "Marie", "Email": "marie.dupont@lespetitspas.be", "NRN": "'"$marie"'", "Consentement": "oui", "Pré-demandes": "x", "Bilans": "x", "Structures": "MA-00101"},
    "3": {"Nom": "Martin", "Prénom": "Lucas", "Email": "lucas.martin@lespetitspas.be", "NRN": "'"$lucas"'", "Consentement": "oui", "Bilans": "x", "Structures": "MA-00102", "Du": "date:01/02/2027", "Au": "date:30/06/2027"},
    "4": {"Nom": "Peeters", "Prénom": "Emma", "Email": "emma.peeters@lespetitspas.be", "NRN": "'"$emma"'", "Consentement": "oui", "Pré-demandes": "x", "Structures": "MA-00101", "Du": "date:04/01/2027"}}}'
)
make_lang fr

names=(
  [plan]=plan-en.png [people]=plan-people-en.png [problems]=plan-problems-en.png
  [review]=review-en.png [review_sheet]=Review [template]=template-en.png [template_sheet]=Staff
  [review_fill]='{"header_row": 3, "key": "Email", "rows": {
    "anais.lefevre@lespetitspas.be": {"Decision": "Keep"},
    "zoe.muller@lespetitspas.be": {"Decision": "Keep"},
    "noah.vandenberg32@lespetitspas.be": {"Decision": "Remove", "Comment": "Left the crèche in October"},
    "elodie.vandenberg@lespetitspas.be": {"Decision": "Keep"},
    "eva.willems8@lespetitspas.be": {"Comment": "Checking with the board"}}}'
  [template_fill]='{"header_row": 1, "extra_rows": 3, "rows": {
    "2": {"Last name": "Dupont", "First name": "Marie", "Email": "marie.dupont@lespetitspas.be", "NRN": "'"$marie"'", "Consent": "yes", "Pré-demandes": "x", "Bilans": "x", "Structures": "MA-00101"},
    "3": {"Last name": "Martin", "First name": "Lucas", "Email": "lucas.martin@lespetitspas.be", "NRN": "'"$lucas"'", "Consent": "yes", "Bilans": "x", "Structures": "MA-00102", "From": "date:01/02/2027", "Until": "date:30/06/2027"},
    "4": {"Last name": "Peeters", "First name": "Emma", "Email": "emma.peeters@lespetitspas.be", "NRN": "'"$emma"'", "Consent": "yes", "Pré-demandes": "x", "Structures": "MA-00101", "From": "date:04/01/2027"}}}'
)
make_lang en
