"""协程也有竞态：读和写之间隔着 await，别的协程就能插进来（丢失更新）；asyncio.Lock 修好它。

python3 coroutine_vs_thread.py  两个协程同时从余额 100 里各取 30。
"""
import asyncio


class Account:
    def __init__(self, balance):
        self.balance = balance


# ANCHOR: withdraw
async def withdraw(account, amount):
    balance = account.balance          # 读
    await asyncio.sleep(0)             # 任何 await 都可能切到别的协程
    account.balance = balance - amount # 写：可能覆盖掉别人刚做的修改
# ANCHOR_END: withdraw


async def withdraw_locked(account, amount, lock):
    """页面上说的修法：用 asyncio.Lock 保护整段读-改-写。"""
    async with lock:
        balance = account.balance
        await asyncio.sleep(0)
        account.balance = balance - amount


async def main():
    account = Account(100)
    await asyncio.gather(withdraw(account, 30), withdraw(account, 30))
    print("without lock:", account.balance)  # 两个协程都读到 100：丢了一次扣款

    account, lock = Account(100), asyncio.Lock()
    await asyncio.gather(withdraw_locked(account, 30, lock), withdraw_locked(account, 30, lock))
    print("with asyncio.Lock:", account.balance)


if __name__ == "__main__":
    asyncio.run(main())
