# Host memory against the number of guests, one line per mode, from the
# data file plots/share-report.sh writes (mode N pss_sum_MiB).
# gnuplot -e "data='share.dat'; out='share-memory.png'" plots/share-memory.gp
set terminal pngcairo size 800,500 noenhanced
set output out
set title "Host memory of N guests sharing one /usr image (sum of QEMU Pss)"
set xlabel "guests (N)"
set ylabel "host memory, MiB"
set key top left
set xtics 1
set grid
modes = system("cut -d' ' -f1 " . data . " | uniq | tr '\\n' ' '")
plot for [m in modes] sprintf("< grep '^%s ' %s", m, data) using 2:3 with linespoints lw 2 title m
