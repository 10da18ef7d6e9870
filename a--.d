-: workloads/wl.h io/ncb.h
io/ncb.h:
