"""GIL 不保护你的逻辑：counter += 1 是好几条字节码，线程可以在它们之间被切换。

python3 gil.py  打印 incr 的反汇编（测试检查读、加、写是分开的几条指令）。
"""
# ANCHOR: dis
import dis

counter = 0
def incr():
    global counter
    counter += 1

dis.dis(incr)
# 大致是：LOAD_GLOBAL counter → LOAD_CONST 1 → BINARY_OP (+=) → STORE_GLOBAL counter
# 两个线程可能都在 STORE 之前读到同一个旧值，结果少加一次
# ANCHOR_END: dis
