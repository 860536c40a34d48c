# Radix lookup cost: median ns per lookup against file size, sector
# entries (each lookup followed by the driver's direct_access) against pfn
# entries (decoded directly), per backend model and in the real kernel.
# Called by radix-chart.sh with dir, out, term and subtitle set.
eval "set terminal ".term
set output out
set multiplot layout 2,4 title "DAX radix lookup: sector vs pfn entries (".subtitle.")" font ",12"
set logscale xy
set xtics ("1M" 2**20, "64M" 2**26, "1G" 2**30, "1T" 2**40)
set xrange [2**19:2**41]
set grid
set key top left font ",8" noenhanced
set termoption noenhanced
set xlabel "file size"
set ylabel "ns per lookup (median)"
set style data linespoints
f(s) = dir."/".s.".dat"
have(s) = system("test -s '".f(s)."' && echo 1 || echo 0") + 0
do for [dens in "dense sparse"] {
  do for [be in "dcssblk axonram pmem"] {
    set title "model: ".be.", ".dens
    plot f("model-".be."-".dens."-sector") using 1:3 title "sector + direct_access" lw 2 pt 7 lc rgb "#c0392b", \
         f("model-".be."-".dens."-pfn") using 1:3 title "pfn decode" lw 2 pt 5 lc rgb "#2471a3", \
         f("model-floor-".dens."-flat") using 1:3 title "flat array (floor)" dt 2 pt 1 lc rgb "#7f8c8d"
  }
  set title "kernel module: /dev/pmem0, ".dens
  if (have("kernel-pmem-".dens."-pfn")) {
    plot f("kernel-pmem-".dens."-sector") using 1:3 title "xa_load + dax_direct_access" lw 2 pt 7 lc rgb "#c0392b", \
         f("kernel-pmem-".dens."-sector_locked") using 1:3 title "... + dax_read_lock per lookup" dt 3 pt 6 lc rgb "#e67e22", \
         f("kernel-pmem-".dens."-pfn") using 1:3 title "xa_load + pfn_to_kaddr" lw 2 pt 5 lc rgb "#2471a3"
  } else {
    unset logscale; set xrange [0:1]; set yrange [0:1]; unset xtics; unset ytics
    set label 1 "kernel half not in this run" at 0.5,0.5 center
    plot NaN notitle
    unset label 1; set logscale xy; set xtics ("1M" 2**20, "64M" 2**26, "1G" 2**30, "1T" 2**40); set ytics; set xrange [2**19:2**41]; set autoscale y
  }
}
unset multiplot
