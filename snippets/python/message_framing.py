"""长度前缀分帧：4 字节大端长度 + 正文；recv_exactly 循环读够 n 字节。

python3 message_framing.py  在一对相连的 socket 上检查：多条消息粘在一起也能逐条拆开，
大消息能完整收到，超长声明被拒绝，消息中途断开会报错。
"""
# ANCHOR: framing
import struct

# 长度字段来自网络，不可信：超过上限就拒绝，不去分配内存
MAX_LEN = 16 * 1024 * 1024

def send_msg(sock, payload: bytes) -> None:
    # 4 字节大端长度 + 正文
    sock.sendall(struct.pack("!I", len(payload)) + payload)

def recv_exactly(sock, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("连接在一条消息中途被关闭")
        buf += chunk
    return bytes(buf)

def recv_msg(sock) -> bytes:
    (length,) = struct.unpack("!I", recv_exactly(sock, 4))
    if length > MAX_LEN:
        raise ValueError(f"消息过长：{length} 字节")
    return recv_exactly(sock, length)
# ANCHOR_END: framing

import socket
import threading


def sent_in_background(target):
    t = threading.Thread(target=target)
    t.start()
    return t


if __name__ == "__main__":
    a, b = socket.socketpair()
    a.settimeout(10)
    b.settimeout(10)

    # 三条消息一次性写出去（在字节流里粘在一起），接收方仍然逐条拆开
    messages = [b"hello", b"", "你好，世界".encode("utf-8")]
    for m in messages:
        send_msg(a, m)
    print("messages:", [recv_msg(b) for _ in messages] == messages)

    # 1 MiB 的消息：发送方在另一个线程里写，接收方要很多次 recv 才能凑齐
    big = bytes(i % 251 for i in range(1 << 20))
    t = sent_in_background(lambda: send_msg(a, big))
    print("1 MiB message:", recv_msg(b) == big)
    t.join()

    # 对方声明的长度超过上限：不去分配内存，直接拒绝
    a.sendall(struct.pack("!I", MAX_LEN + 1))
    try:
        recv_msg(b)
    except ValueError as e:
        print("too long:", e)

    # 只发了一半就关闭连接
    a.sendall(struct.pack("!I", 10) + b"abc")
    a.close()
    try:
        recv_msg(b)
    except ConnectionError as e:
        print("cut short:", e)
    b.close()
