set terminal pngcairo size 900,540 font 'sans,11'
set output 'ceiling_ratio.png'
set title "dpsflow forward / testpmd io-forward, same vdevs and lcores\nAMD EPYC, 2 cores, DPDK 22.11.11, 5d76ebd" noenhanced
set logscale x
set xrange [0.6:170000]
set xtics ('1' 1, '10' 10, '100' 100, '1000' 1000, '10000' 10000, 'off' 100000)
set xlabel 'sampling rate 1-in-N'
set ylabel 'dpsflow / testpmd (Mpps), testpmd / dpsflow (instructions)'
set grid
set key bottom right
plot 'ceiling_ratio.dat' index 0 using 1:2 with linespoints lw 2 pt 7 lc 1 title 'null, Mpps (median of runs)', \
  'ceiling_ratio.dat' index 1 using 1:2 with linespoints lw 2 pt 7 lc 2 title 'pcap, Mpps (median of runs)', \
  'ceiling_ratio.dat' index 2 using 1:2 with linespoints lw 2 dt 2 pt 6 lc 1 title 'null, instructions per packet', \
  'ceiling_ratio.dat' index 3 using 1:2 with linespoints lw 2 dt 2 pt 6 lc 2 title 'pcap, instructions per packet', \
  0.99 with lines dt 2 lc rgb 'gray40' title 'goal at 1:1000 (0.99)', \
  0.98 with lines dt 3 lc rgb 'gray60' title 'goal at 1:100 (0.98)'
