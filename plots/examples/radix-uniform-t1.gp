# radix-uniform-t1: drawn by daxbench from radix-uniform-t1.dat; re-run with
# `gnuplot radix-uniform-t1.gp` in this folder to redraw radix-uniform-t1.png and radix-uniform-t1.svg.
do for [fmt in "png svg"] {
reset
if (fmt eq "png") {
  set terminal pngcairo size 1400,800 font "sans,9" noenhanced
} else {
  set terminal svg size 1400,800 font "sans,9" noenhanced
}
set output "radix-uniform-t1.".fmt
set xrange [2**19:2**41]
set grid lc rgb "#dddddd"
set key top left font ",7" box lc rgb "#bbbbbb" opaque samplen 2 spacing 1.1
set border
set ytics
set xlabel "file size (log scale)"
set ylabel "per lookup, median and IQR (lower is better)"
set logscale x 2
set logscale y
set xtics ("1M" 2**20, "64M" 2**26, "1G" 2**30, "1T" 2**40)
set format y "%.0s %cs"
set multiplot layout 2,4 title "DAX radix lookup: sector vs pfn entries, uniform access, 1 thread, run 55f45c4f, 6.1.0-57-amd64" font ",11"
set title "model: dcssblk, dense"
set yrange [2.8095e-09:7.29939e-06]
plot "radix-uniform-t1.dat" index 0 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#c0392b" title "sector entry + direct_access", \
  "radix-uniform-t1.dat" index 1 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 5 ps 0.8 dt 1 lc rgb "#2471a3" title "pfn entry, decoded", \
  "radix-uniform-t1.dat" index 2 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 1 ps 0.8 dt 2 lc rgb "#7f8c8d" title "flat array (floor)"
set title "model: axonram, dense"
set yrange [2.8095e-09:7.3739e-06]
plot "radix-uniform-t1.dat" index 3 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#c0392b" title "sector entry + direct_access", \
  "radix-uniform-t1.dat" index 4 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 5 ps 0.8 dt 1 lc rgb "#2471a3" title "pfn entry, decoded", \
  "radix-uniform-t1.dat" index 5 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 1 ps 0.8 dt 2 lc rgb "#7f8c8d" title "flat array (floor)"
set title "model: pmem, dense"
set yrange [2.8095e-09:4.76934e-06]
plot "radix-uniform-t1.dat" index 6 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#c0392b" title "sector entry + direct_access", \
  "radix-uniform-t1.dat" index 7 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 5 ps 0.8 dt 1 lc rgb "#2471a3" title "pfn entry, decoded", \
  "radix-uniform-t1.dat" index 8 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 1 ps 0.8 dt 2 lc rgb "#7f8c8d" title "flat array (floor)"
set title "kernel: /dev/pmem0, dense"
set yrange [9.70666e-08:1.19786e-06]
plot "radix-uniform-t1.dat" index 9 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#c0392b" title "xa_load + dax_direct_access", \
  "radix-uniform-t1.dat" index 10 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 6 ps 0.8 dt 3 lc rgb "#e67e22" title "... + dax_read_lock per lookup", \
  "radix-uniform-t1.dat" index 11 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 5 ps 0.8 dt 1 lc rgb "#2471a3" title "xa_load + pfn_to_kaddr"
set title "model: dcssblk, sparse"
set yrange [2.8095e-09:3.81609e-05]
plot "radix-uniform-t1.dat" index 12 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#c0392b" title "sector entry + direct_access", \
  "radix-uniform-t1.dat" index 13 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 5 ps 0.8 dt 1 lc rgb "#2471a3" title "pfn entry, decoded", \
  "radix-uniform-t1.dat" index 14 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 1 ps 0.8 dt 2 lc rgb "#7f8c8d" title "flat array (floor)"
set title "model: axonram, sparse"
set yrange [2.8095e-09:3.6223e-05]
plot "radix-uniform-t1.dat" index 15 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#c0392b" title "sector entry + direct_access", \
  "radix-uniform-t1.dat" index 16 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 5 ps 0.8 dt 1 lc rgb "#2471a3" title "pfn entry, decoded", \
  "radix-uniform-t1.dat" index 17 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 1 ps 0.8 dt 2 lc rgb "#7f8c8d" title "flat array (floor)"
set title "model: pmem, sparse"
set yrange [2.8095e-09:4.0861e-05]
plot "radix-uniform-t1.dat" index 18 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#c0392b" title "sector entry + direct_access", \
  "radix-uniform-t1.dat" index 19 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 5 ps 0.8 dt 1 lc rgb "#2471a3" title "pfn entry, decoded", \
  "radix-uniform-t1.dat" index 20 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 1 ps 0.8 dt 2 lc rgb "#7f8c8d" title "flat array (floor)"
set title "kernel: /dev/pmem0, sparse"
set yrange [6.82392e-08:1.05773e-05]
plot "radix-uniform-t1.dat" index 21 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#c0392b" title "xa_load + dax_direct_access", \
  "radix-uniform-t1.dat" index 22 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 6 ps 0.8 dt 3 lc rgb "#e67e22" title "... + dax_read_lock per lookup", \
  "radix-uniform-t1.dat" index 23 using 1:($2*1e-09):($3*1e-09):($4*1e-09) with yerrorlines lw 1.8 pt 5 ps 0.8 dt 1 lc rgb "#2471a3" title "xa_load + pfn_to_kaddr"
unset multiplot
unset output
}
