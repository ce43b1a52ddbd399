//! 页面上的快速重传例子：五个报文段，第二个丢失。`cargo run -p snippets --example retransmit`

fn main() {
    for line in snippets::retransmit::run(1100) {
        println!("{line}");
    }
    println!("——若丢的是最后一个（seq=1400）：");
    for line in snippets::retransmit::run(1400) {
        println!("{line}");
    }
    println!("没有后续报文段，就没有重复 ACK，只能等重传计时器。");
}
