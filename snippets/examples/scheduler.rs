//! 打印教科书工作负载在各种调度算法下的甘特图和平均等待时间。
//! 运行：cargo run -p snippets --example scheduler

use snippets::scheduler::{
    average, fcfs, render, round_robin, sjf, srtf, textbook_workload, waiting_times,
};

fn main() {
    let jobs = textbook_workload();
    for j in &jobs {
        println!(
            "进程 {}：到达 {:>2}，运行 {:>2}",
            j.name, j.arrival, j.burst
        );
    }
    let runs = [
        ("FCFS", fcfs(&jobs)),
        ("SJF", sjf(&jobs)),
        ("SRTF", srtf(&jobs)),
        ("RR q=4", round_robin(&jobs, 4)),
    ];
    for (name, gantt) in runs {
        let w = waiting_times(&jobs, &gantt);
        println!("{name:<7} {}", render(&gantt));
        println!("        等待 {w:?}，平均 {:.2}", average(&w));
    }
}
