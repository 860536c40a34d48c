#!/bin/bash
# From real runs of three Debian kernels, `daxbench publish` writes the
# static site; headless Chromium opens it and every image must load with no
# console error; every run's circle on a trend links to an existing run page
# at the place gnuplot drew it; `daxbench plot` draws what publish draws; a
# second publish redraws nothing; `db merge` is idempotent and refuses a
# newer schema.
# The report: a run of the newest kernel with a DAX fault slowed in the
# guest (--inject-dax-spin, a real planted regression) compared with the
# plain run of that kernel must be the first row of the index's "what
# changed", numbers carry units, the comparison page has its forest plot
# (`daxbench compare --plot` too), and every table of the DAX report
# (`daxbench report`, report.html) is filled from the database: a short
# amd64 suite (tests/integration/report.suite) and the dcssblk-emu suite
# give it its figures. Screenshots at 1280 and 400 px wide of the index,
# the comparison page and the DAX report are kept in the build folder
# (publish-{index,compare,report}-{1280,400}.png, and the older
# publish-screenshot.png, publish-metric-screenshot.png).
# XB_PUBLISH_DB=PATH reuses a database; the runs it lacks (by label) are
# made (each about 1-3 min under TCG on a busy 2-core machine).
. "$(dirname "$0")/lib.sh"

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "SKIP: chromium not installed (scripts/install-deps)"; exit 77; }

db="$TMP/results.db"
if [ -n "${XB_PUBLISH_DB:-}" ]; then
  sqlite3 "$XB_PUBLISH_DB" ".backup '$db'"
  echo "reusing runs of $XB_PUBLISH_DB"
fi
# ensure LABEL ARGS...: a finished run labelled LABEL, made with ARGS unless
# the database has one; its exit status in $rc
ensure() {
  local label=$1; shift
  rc=0
  [ -s "$db" ] && [ "$(q "$db" "select count(*) from runs where label='$label' and status='finished'")" -gt 0 ] &&
    { echo "have $label"; return; }
  "$DAXBENCH" run "$@" --db "$db" --label "$label" >"$TMP/out" 2>"$TMP/err"
  rc=$?; tail -n 2 "$TMP/out" "$TMP/err"
}
newest=6.1.0-57-amd64
for k in 6.1.0-55-amd64 6.1.0-56-amd64 $newest; do
  ensure "publish-$k" --kernel "$k"
  check "run of $k exits 0 (got $rc)" [ "$rc" = 0 ]
done
ensure publish-planted --kernel "$newest" --inject-dax-spin 500
check "run of $newest with a slowed DAX fault exits 0 (got $rc)" [ "$rc" = 0 ]
ensure publish-report --kernel "$newest" --suite "$XB_SOURCE_ROOT/tests/integration/report.suite"
check "the report suite's run exits 0 (got $rc)" [ "$rc" = 0 ]
ensure publish-dcss --suite dcssblk-emu
dcss_rc=$rc
check "the dcssblk-emu run exits 0 or 77 (got $rc)" [ "$rc" = 0 -o "$rc" = 77 ]
nk=$(q "$db" "select count(distinct value) from fingerprint f join runs r on r.id=f.run_id where key='kernel.release' and r.status='finished'")
check "runs of at least three kernels ($nk)" [ "$nk" -ge 3 ]

# the ordering options are checked before anything boots
"$DAXBENCH" run --kernel-commit 'not-a-sha' --dry-run 2>"$TMP/err"; rc=$?
check "--kernel-commit refuses a non-sha (exit $rc)" [ "$rc" = 2 ]
"$DAXBENCH" run --kernel-commit abcdef1 --kernel-commit-date yesterday --dry-run 2>"$TMP/err"; rc=$?
check "--kernel-commit-date refuses 'yesterday' (exit $rc)" [ "$rc" = 2 ]

# the planted regression, compared and drawn (daxbench compare --plot)
cmpdir="$TMP/cmpplot"
"$DAXBENCH" compare --db "$db" --force --plot "$cmpdir" "label:publish-$newest" label:publish-planted \
  >"$TMP/cmp" 2>&1; rc=$?
tail -n 3 "$TMP/cmp"
check "the slowed DAX fault is found: compare exits 3 (got $rc)" [ "$rc" = 3 ]
check "compare names a regression of a DAX fault" grep -q 'regression of fault\.dax\.' "$TMP/cmp"
check "compare --plot writes the page and the forest plot" \
  bash -c "[ -s '$cmpdir/index.html' ] && [ -s '$cmpdir/forest.svg' ]"
check "forest.svg is a well-formed SVG document" python3 -c \
  "import sys, xml.etree.ElementTree as E; sys.exit(not E.parse(sys.argv[1]).getroot().tag.endswith('svg'))" \
  "$cmpdir/forest.svg"
cid=$(q "$db" "select max(id) from comparisons")

site="$TMP/site"
"$DAXBENCH" publish --db "$db" "$site" >"$TMP/pub1" 2>"$TMP/err"; rc=$?
cat "$TMP/pub1" "$TMP/err"
check "publish exits 0 or 3 (got $rc)" [ "$rc" = 0 -o "$rc" = 3 ]
nm=$(q "$db" "select count(distinct metric_id) from summaries")
check "a page per metric ($nm)" [ "$(ls "$site/metric" | wc -l)" = "$nm" ]
nr=$(q "$db" "select count(*) from runs where status='finished' and id not in (select run_id from fingerprint where key='inject.dax_fault_spin')")
check "a page per run ($nr)" [ "$(ls "$site/runs" | wc -l)" = "$nr" ]
m=fault.dax.read.pte.ns
for ext in gp dat png svg hash; do
  check "trend of $m has its .$ext" [ -s "$site/plots/$m.$ext" ]
done
check "the .gp re-runs by hand" bash -c "cd '$site/plots' && rm -f '$m.svg' && gnuplot '$m.gp' && [ -s '$m.svg' ]"
check "trend data has one row per kernel" [ "$(awk '!/^#/ && NF >= 8' "$site/plots/$m.dat" | wc -l)" = "$nk" ]
nf=$(q "$db" "select count(distinct s.run_id) from summaries s join metrics m on m.id=s.metric_id join runs r on r.id=s.run_id where m.name='$m' and r.status='finished' and r.id not in (select run_id from fingerprint where key='inject.dax_fault_spin')")
check "a fault-latency CDF per run with fault metrics ($nf)" [ "$(ls "$site"/plots/run-*-cdf.png | wc -l)" = "$nf" ]
check "no external script, style, font or image" \
  bash -c "! grep -rEl '<script|<link|(src|href)=\"(https?:)?//' '$site' --include=*.html"
check "metric pages link run fingerprints" grep -q 'href="../runs/' "$site/metric/$m.html"
links=$(python3 - "$site" <<'EOF'
import os, re, sys
n, bad = 0, []
for d, _, files in os.walk(sys.argv[1]):
    for f in (f for f in files if f.endswith('.html')):
        for u in re.findall(r'(?:href|src)="([^"#]+)', open(os.path.join(d, f)).read()):
            n += 1
            if not os.path.exists(os.path.normpath(os.path.join(d, u))):
                bad.append(f + ' -> ' + u)
print(n, len(bad), *bad[:3])
EOF
)
check "every link and image of every page resolves (links, broken: $links)" \
  bash -c "read n b rest <<<'$links'; [ \"\$n\" -gt 0 ] && [ \"\$b\" = 0 ]"

# the trend's circles: one link per run, each to a page that exists, each
# where gnuplot drew the circle (gnuplot reports its data area and ranges)
links=$(grep -c 'class="pt" href="../runs/' "$site/metric/$m.html")
check "a link per run on the trend of $m ($links links, $nf runs)" [ "$links" = "$nf" ]
missing=$(grep -rho 'class="pt" href="../runs/[^"]*"' "$site/metric" | sed 's|.*href="../||; s|"$||' |
  sort -u | while read -r f; do [ -f "$site/$f" ] || echo "$f"; done)
check "every point link resolves to a run page (${missing:-none missing})" [ -z "$missing" ]
(cd "$site/plots" && { cat "$m.gp"; echo 'set print "-"'
  echo 'print GPVAL_TERM_XMIN, GPVAL_TERM_XMAX, GPVAL_TERM_YMIN, GPVAL_TERM_YMAX, GPVAL_TERM_XSIZE/GPVAL_TERM_SCALE, GPVAL_TERM_YSIZE/GPVAL_TERM_SCALE, GPVAL_X_MIN, GPVAL_X_MAX, GPVAL_Y_MIN, GPVAL_Y_MAX'
  } | gnuplot) >"$TMP/frame" 2>&1
off=$(python3 - "$site/metric/$m.html" "$site/plots/$m.dat" "$TMP/frame" <<'EOF'
import re, sys
html, dat, frame = (open(f).read() for f in sys.argv[1:])
x0, x1, y0, y1, w, h, X0, X1, Y0, Y1 = map(float, frame.split()[-10:])
links = {u[:8]: (float(l), float(t)) for u, l, t in
         re.findall(r'href="../runs/([0-9a-f-]+)\.html" style="left:([0-9.]+)%;top:([0-9.]+)%"', html)}
worst, n = 0.0, 0
for line in dat.splitlines():
    f = line.split()
    if len(f) == 3 and re.fullmatch(r'[0-9a-f]{8}', f[2]) and f[2] in links:
        x, y = float(f[0]), float(f[1])
        left = 100 * (x0 + (x - X0) / (X1 - X0) * (x1 - x0)) / w
        top = 100 * (1 - (y0 + (y - Y0) / (Y1 - Y0) * (y1 - y0)) / h)
        worst = max(worst, abs(left - links[f[2]][0]), abs(top - links[f[2]][1]))
        n += 1
print(n, "%.3f" % worst)
EOF
)
check "each link sits on its circle (links checked, worst offset in %: $off)" \
  python3 -c "import sys; n, w = sys.argv[1].split(); sys.exit(not (int(n) == $nf and float(w) < 0.5))" "$off"

# daxbench plot draws a run's detail plots with publish's own code
run1=$(q "$db" "select uuid from runs where status='finished' order by id limit 1")
"$DAXBENCH" plot --db "$db" --kind cdf "$run1" "$TMP/plot" >"$TMP/out" 2>&1; rc=$?; cat "$TMP/out"
check "daxbench plot exits 0 (got $rc)" [ "$rc" = 0 ]
check "daxbench plot draws the CDF publish drew" cmp "$TMP/plot/cdf.dat" "$site/plots/run-$run1-cdf.dat"
check "daxbench plot draws png and svg" bash -c "[ -s '$TMP/plot/cdf.png' ] && [ -s '$TMP/plot/cdf.svg' ]"
"$DAXBENCH" plot --db "$db" --kind radix "$run1" "$TMP/plot" >"$TMP/out" 2>&1; rc=$?
check "no radix plot from a run without radix metrics: exit 1 and why (got $rc)" \
  bash -c "[ $rc = 1 ] && grep -q 'has none of the metrics' '$TMP/out'"

"$DAXBENCH" publish --db "$db" "$site" >"$TMP/pub2" 2>&1; cat "$TMP/pub2"
check "publishing again redraws nothing" grep -q 'plots drawn 0,' "$TMP/pub2"
rm "$site/plots/$m.png"
"$DAXBENCH" publish --db "$db" "$site" >"$TMP/pub3" 2>&1
check "a missing image is redrawn alone" grep -q 'plots drawn 1,' "$TMP/pub3"

# the browser: every image of the index, a metric page and a run page loads
check_page() {   # page (relative to the site)
  local page=$1 chk="${1%.html}._check.html"
  sed 's|</body>|<script>addEventListener("load",function(){var b=[].filter.call(document.images,function(i){return !(i.complete\&\&i.naturalWidth>0)});document.body.setAttribute("data-check","images="+document.images.length+" broken="+b.length)})</script></body>|' \
    "$site/$page" >"$site/$chk"
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$TMP/chrome-$RANDOM" \
    --allow-file-access-from-files --virtual-time-budget=10000 --dump-dom "file://$site/$chk" \
    >"$TMP/dom" 2>/dev/null
  rm -f "$site/$chk"
  grep -o 'data-check="[^"]*"' "$TMP/dom"
}
run_page=$(cd "$site" && ls runs/*.html | head -1)
for page in index.html "metric/$m.html" "$run_page"; do
  r=$(check_page "$page")
  check "$page: all images load ($r)" bash -c "grep -q 'broken=0' <<<'$r' && ! grep -q 'images=0 ' <<<'$r'"
done
# the index as the browser parsed it: what changed comes first, the planted
# regression at the top, regressions before improvements before the rest
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$TMP/chrome-dom" \
  --dump-dom "file://$site/index.html" >"$TMP/index.dom" 2>/dev/null
order=$(python3 - "$TMP/index.dom" <<'EOF'
import re, sys
d = open(sys.argv[1]).read()
t = d[d.index('id="changes"'):]
t = t[:t.index('</table>')]
rows = re.findall(r'<tr class="([a-z]*)">(.*?)</tr>', t, re.S)
rank = {'reg': 0, 'imp': 1}
ranks = [rank.get(c, 2) for c, _ in rows]
c, body = rows[0]
metric = re.search(r'<code>(.*?)</code>', body).group(1).replace('<wbr>', '')
where = re.search(r'comparison (\d+)', body)
pct = re.search(r'<b>([+-][0-9.]+)%</b>', body)
print(len(rows), c, metric, where.group(1) if where else '-', pct.group(1) if pct else '-',
      int(ranks == sorted(ranks)))
EOF
)
echo "what changed: rows, first row's class, metric, comparison, change %, sorted: $order"
read -r nrows c1 m1 cmp1 pct1 sorted <<<"$order"
check "the index's first row is the planted regression ($c1 $m1 of comparison $cmp1, $pct1%)" \
  bash -c "[ '$c1' = reg ] && [[ '$m1' == fault.dax.* ]] && [ '$cmp1' = '$cid' ]"
check "the planted change is positive and large ($pct1%)" \
  python3 -c "import sys; sys.exit(not float(sys.argv[1]) > 5)" "$pct1"
check "regressions, then improvements, then the rest ($nrows rows)" [ "$sorted" = 1 ]
row=$(grep -o '<a href="metric/fault.dax.read.pte.ns.html"><code>.*' "$site/index.html" | head -1 | cut -c1-600)
check "the index gives fault.dax.read.pte.ns with its unit" \
  bash -c "grep -qE '<b>[0-9.]+ (ns|us|ms)</b>' <<<'$row'"
# on the text a reader sees (tags stripped: a run's uuid in a link can read 3e-4...)
check "no number in scientific notation on the index" \
  bash -c "! sed 's/<[^>]*>/ /g' '$site/index.html' | grep -qE '[0-9]e[+-][0-9]'"
cpage="$site/compare/$cid.html"
names=$(q "$db" "select name_a || ' (A) vs ' || name_b || ' (B)' from comparisons where id=$cid")
check "the comparison page's title names both sides ($names)" \
  grep -qF "<h1>comparison $cid: $names</h1>" "$cpage"
njudged=$(q "$db" "select count(*) from comparison_rows where comparison_id=$cid and verdict <> '-'")
nsq=$(grep -o '<rect x="[0-9.-]*" y="[0-9.-]*" width="7"' "$cpage" | wc -l)
check "the comparison page has its forest plot, a square per judged row ($nsq of $njudged)" \
  bash -c "grep -q '<svg class=\"forest\"' '$cpage' && [ '$nsq' = '$njudged' ] && [ '$nsq' -gt 0 ]"
check "the forest plot draws a regression red" \
  bash -c "grep -o '<svg class=\"forest\".*</svg>' '$cpage' | grep -q '#b2181b'"
check "the comparison's medians carry units, right-aligned" \
  grep -qE '<td class="n" data-l="A">[0-9.]+ (ns|us|ms)</td>' "$cpage"
check "each row shows the per-boot values of both sides" grep -q '<svg class="boots"' "$cpage"

# the DAX report: every table filled from the database
"$DAXBENCH" report --db "$db" "$TMP/report.md" >"$TMP/rep" 2>&1; rc=$?; cat "$TMP/rep"
check "daxbench report exits 0 (got $rc)" [ "$rc" = 0 ]
want=6
[ "$dcss_rc" = 0 ] || { want=4; echo "NOTE: dcssblk-emu skipped: the memory and exec tables are not checked"; }
filled=$(grep -o '[0-9]* of [0-9]* tables filled' "$TMP/rep" | cut -d' ' -f1)
check "the report fills $want of its 6 tables (filled: $filled)" [ "${filled:-0}" -ge "$want" ]
check "every filled table says how to regenerate it" \
  bash -c "[ \$(grep -c ' Regenerate: \`' '$TMP/report.md') -ge $want ]"
for id in capabilities radix structpages faults; do
  check "report.html: table $id is filled" \
    bash -c "grep -A3 '<h2 id=\"$id\">' '$site/report.html' | grep -qE 'data-rows=\"[1-9]'"
done
nfilled=$(grep -oE '<table class="report" data-rows="[1-9][0-9]*"' "$site/report.html" | wc -l)
check "report.html fills as many tables as daxbench report ($nfilled)" [ "$nfilled" = "${filled:-x}" ]
med=$(q "$db" "select s.median from summaries s join metrics m on m.id=s.metric_id join runs r on r.id=s.run_id where r.label='publish-report' and m.name='fault.dax.read.pte.ns'")
fig=$(python3 - "$TMP/report.md" "$med" "$newest" <<'EOF'
import sys
md, v, k = open(sys.argv[1]).read(), float(sys.argv[2]), sys.argv[3]
def human(ns):
    for u, f in (('s', 1e9), ('ms', 1e6), ('us', 1e3), ('ns', 1)):
        if abs(ns) >= f * 0.9995 or u == 'ns':
            x = ns / f
            return ('%.0f' if abs(x) >= 99.95 else '%.1f' if abs(x) >= 9.995 else '%.2f') % x + '_' + u
want = human(v)
rows = [l for l in md.splitlines() if '| read.pte |' in l and ('| %s axonram-emu' % k) in l]
print(want, int(any(('| %s (n=' % want.replace('_', ' ')) in l for l in rows)))
EOF
)
check "the report's DAX read fault is the database's median ($fig)" bash -c "[ '${fig##* }' = 1 ]"

shot() {   # page width name
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$TMP/chrome-$3-$2" \
    --enable-logging=stderr --v=0 --window-size="$2,1600" --hide-scrollbars \
    --screenshot="$TMP/$3-$2.png" "file://$site/$1" >/dev/null 2>"$TMP/console-$3"
  check "screenshot of $1 at $2 px" [ -s "$TMP/$3-$2.png" ]
  check "$1 at $2 px: no console message (an SVG attribute chromium rejects, say)" \
    bash -c "! grep -iE ':CONSOLE|Failed to load' '$TMP/console-$3'"
  cp "$TMP/$3-$2.png" "${XB_BUILD_ROOT:-$TMP}/publish-$3-$2.png" 2>/dev/null || true
}
for w in 1280 400; do
  shot index.html $w index
  shot "compare/$cid.html" $w compare
  shot report.html $w report
done

"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$TMP/chrome-shot" \
  --enable-logging=stderr --v=0 --window-size=1280,1600 --hide-scrollbars \
  --screenshot="$TMP/shot.png" "file://$site/index.html" >/dev/null 2>"$TMP/console"
check "screenshot saved" [ -s "$TMP/shot.png" ]
cp "$TMP/shot.png" "${XB_BUILD_ROOT:-$TMP}/publish-screenshot.png" 2>/dev/null || true
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$TMP/chrome-shot2" \
  --window-size=1280,1000 --hide-scrollbars --screenshot="$TMP/shot2.png" \
  "file://$site/metric/$m.html" >/dev/null 2>&1
check "metric page screenshot saved" [ -s "$TMP/shot2.png" ]
cp "$TMP/shot2.png" "${XB_BUILD_ROOT:-$TMP}/publish-metric-screenshot.png" 2>/dev/null || true
# the site has no script: any console line at all (chromium logs console.error as INFO:CONSOLE) fails
check "no console message or failed load" \
  bash -c "! grep -iE ':CONSOLE|Failed to load|ERR_FILE_NOT_FOUND' '$TMP/console'"

# db merge: idempotent by run uuid; a newer schema is refused untouched
m1="$TMP/merged.db"
"$DAXBENCH" db merge --db "$m1" "$db" >"$TMP/out" 2>&1; rc=$?; cat "$TMP/out"
check "merge exits 0 (got $rc)" [ "$rc" = 0 ]
check "merge copies every run" [ "$(q "$m1" 'select count(*) from runs')" = "$(q "$db" 'select count(*) from runs')" ]
check "merge copies every sample" [ "$(q "$m1" 'select sum(n) from samples')" = "$(q "$db" 'select sum(n) from samples')" ]
"$DAXBENCH" db merge --db "$m1" "$db" >"$TMP/out" 2>&1; cat "$TMP/out"
check "merging twice adds nothing" grep -q ' 0 runs added' "$TMP/out"
sqlite3 "$TMP/newer.db" "create table runs(x); pragma user_version=99;"
"$DAXBENCH" db merge --db "$m1" "$TMP/newer.db" >"$TMP/out" 2>&1; rc=$?; cat "$TMP/out"
check "a newer schema is refused (exit $rc)" [ "$rc" = 1 ]
check "the refusal says why" grep -q 'newer than this daxbench' "$TMP/out"
check "the newer database is untouched" [ "$(sqlite3 "$TMP/newer.db" 'pragma user_version')" = 99 ]
finish
