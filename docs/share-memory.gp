# share-memory: drawn by daxbench from share-memory.dat; re-run with
# `gnuplot share-memory.gp` in this folder to redraw share-memory.png and share-memory.svg.
do for [fmt in "png svg"] {
reset
if (fmt eq "png") {
  set terminal pngcairo size 900,500 font "sans,9" noenhanced
} else {
  set terminal svg size 900,500 font "sans,9" noenhanced
}
set output "share-memory.".fmt
set xrange [0.75:4.25]
set grid lc rgb "#dddddd"
set key top left box lc rgb "#bbbbbb" opaque samplen 2 spacing 1.1
set border
set ytics
set xlabel "guests running at once (N)"
set ylabel "host memory: sum of the QEMUs' Pss, MiB (lower is better)"
set xtics 1
set title "Host memory of N guests sharing one /usr image, run 55fa82c5, 6.1.0-56-amd64" font ",11"
set yrange [0:*]
plot "share-memory.dat" index 0 using 1:($2*0.000976562):($3*0.000976562):($4*0.000976562) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#1f77b4" title "dax: +325 MiB per added guest", \
  "share-memory.dat" index 1 using 1:($2*0.000976562):($3*0.000976562):($4*0.000976562) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#ff7f0e" title "pagecache: +423 MiB per added guest", \
  "share-memory.dat" index 2 using 1:($2*0.000976562):($3*0.000976562):($4*0.000976562) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#9467bd" title "blk: +357 MiB per added guest", \
  "share-memory.dat" index 3 using 1:($2*0.000976562):($3*0.000976562):($4*0.000976562) with yerrorlines lw 1.8 pt 7 ps 0.8 dt 1 lc rgb "#8c564b" title "ksm: +149 MiB per added guest"
unset output
}
