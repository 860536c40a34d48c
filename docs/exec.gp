# exec: drawn by daxbench from exec.dat; re-run with
# `gnuplot exec.gp` in this folder to redraw exec.png and exec.svg.
do for [fmt in "png svg"] {
reset
if (fmt eq "png") {
  set terminal pngcairo size 900,640 font "sans,9" noenhanced
} else {
  set terminal svg size 900,640 font "sans,9" noenhanced
}
set output "exec.".fmt
set grid lc rgb "#dddddd"
set key top right box lc rgb "#bbbbbb" opaque samplen 2 spacing 1.1
set border
set ytics
set ylabel "ms from fork to exit (lower is better)"
set xtics 
set multiplot layout 2,2 title "Exec startup per program and mode (one guest), run 55fa82c5, 6.1.0-56-amd64" font ",11"
set key outside top center horizontal noopaque nobox
set style fill solid 0.75 noborder
set boxwidth 0.38
unset xtics
set xtics nomirror scale 0
set grid noxtics ytics
set title "busybox"
set xrange [-0.6:3.6]
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
plot "exec.dat" index 0 using ($1-0.2):($3*0.001):xtic(2) with boxes lc rgb "#ff7f0e" title "cold (after drop_caches)", \
  "" index 0 using ($1-0.2):($4*0.001):(0):(($5-$4)*0.001) with vectors nohead lw 1.2 lc rgb "#333333" notitle, \
  "" index 0 using ($1-0.2):($5*0.001):(sprintf("n=%d", $6)) with labels offset 0,0.6 font ",7" notitle, \
  "exec.dat" index 0 using ($1+0.2):($7*0.001) with boxes lc rgb "#1f77b4" title "warm (median, IQR)", \
  "" index 0 using ($1+0.2):($8*0.001):(0):(($9-$8)*0.001) with vectors nohead lw 1.2 lc rgb "#333333" notitle, \
  "" index 0 using ($1+0.2):($9*0.001):(sprintf("n=%d", $10)) with labels offset 0,0.6 font ",7" notitle
unset key
set title "true"
set xrange [-0.6:3.6]
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
plot "exec.dat" index 1 using ($1-0.2):($3*0.001):xtic(2) with boxes lc rgb "#ff7f0e" title "cold (after drop_caches)", \
  "" index 1 using ($1-0.2):($4*0.001):(0):(($5-$4)*0.001) with vectors nohead lw 1.2 lc rgb "#333333" notitle, \
  "" index 1 using ($1-0.2):($5*0.001):(sprintf("n=%d", $6)) with labels offset 0,0.6 font ",7" notitle, \
  "exec.dat" index 1 using ($1+0.2):($7*0.001) with boxes lc rgb "#1f77b4" title "warm (median, IQR)", \
  "" index 1 using ($1+0.2):($8*0.001):(0):(($9-$8)*0.001) with vectors nohead lw 1.2 lc rgb "#333333" notitle, \
  "" index 1 using ($1+0.2):($9*0.001):(sprintf("n=%d", $10)) with labels offset 0,0.6 font ",7" notitle
unset key
set title "perl"
set xrange [-0.6:3.6]
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
plot "exec.dat" index 2 using ($1-0.2):($3*0.001):xtic(2) with boxes lc rgb "#ff7f0e" title "cold (after drop_caches)", \
  "" index 2 using ($1-0.2):($4*0.001):(0):(($5-$4)*0.001) with vectors nohead lw 1.2 lc rgb "#333333" notitle, \
  "" index 2 using ($1-0.2):($5*0.001):(sprintf("n=%d", $6)) with labels offset 0,0.6 font ",7" notitle, \
  "exec.dat" index 2 using ($1+0.2):($7*0.001) with boxes lc rgb "#1f77b4" title "warm (median, IQR)", \
  "" index 2 using ($1+0.2):($8*0.001):(0):(($9-$8)*0.001) with vectors nohead lw 1.2 lc rgb "#333333" notitle, \
  "" index 2 using ($1+0.2):($9*0.001):(sprintf("n=%d", $10)) with labels offset 0,0.6 font ",7" notitle
unset key
set title "dpkg"
set xrange [-0.6:3.6]
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
plot "exec.dat" index 3 using ($1-0.2):($3*0.001):xtic(2) with boxes lc rgb "#ff7f0e" title "cold (after drop_caches)", \
  "" index 3 using ($1-0.2):($4*0.001):(0):(($5-$4)*0.001) with vectors nohead lw 1.2 lc rgb "#333333" notitle, \
  "" index 3 using ($1-0.2):($5*0.001):(sprintf("n=%d", $6)) with labels offset 0,0.6 font ",7" notitle, \
  "exec.dat" index 3 using ($1+0.2):($7*0.001) with boxes lc rgb "#1f77b4" title "warm (median, IQR)", \
  "" index 3 using ($1+0.2):($8*0.001):(0):(($9-$8)*0.001) with vectors nohead lw 1.2 lc rgb "#333333" notitle, \
  "" index 3 using ($1+0.2):($9*0.001):(sprintf("n=%d", $10)) with labels offset 0,0.6 font ",7" notitle
unset key
unset multiplot
unset output
}
