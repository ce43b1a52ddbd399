//! CPU 调度算法模拟器：FCFS、非抢占 SJF、抢占式 SJF（SRTF）和时间片轮转（RR），
//! 输出甘特图（每段谁在运行）和每个进程的等待时间。

// ANCHOR: model
/// 一个进程：到达时刻和需要的 CPU 时间（单位都是抽象的"时间单位"）。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    pub name: char,
    pub arrival: u32,
    pub burst: u32,
}

/// 甘特图上的一段：`name` 从 `start` 运行到 `end`。
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    pub name: char,
    pub start: u32,
    pub end: u32,
}

/// 等待时间 = 完成时刻 − 到达时刻 − 运行时间（在就绪队列里排队的总时长）。
/// 返回顺序与 `jobs` 相同。
pub fn waiting_times(jobs: &[Job], gantt: &[Slice]) -> Vec<u32> {
    jobs.iter()
        .map(|j| {
            let finish = gantt
                .iter()
                .filter(|s| s.name == j.name)
                .map(|s| s.end)
                .max();
            finish.expect("every job runs") - j.arrival - j.burst
        })
        .collect()
}

pub fn average(waits: &[u32]) -> f64 {
    waits.iter().sum::<u32>() as f64 / waits.len() as f64
}
// ANCHOR_END: model

/// 追加一段；和上一段是同一个进程且首尾相接时合并。
fn push(gantt: &mut Vec<Slice>, name: char, start: u32, end: u32) {
    match gantt.last_mut() {
        Some(last) if last.name == name && last.end == start => last.end = end,
        _ => gantt.push(Slice { name, start, end }),
    }
}

// ANCHOR: fcfs-sjf
/// 非抢占调度的通用骨架：CPU 空出来时，从已到达的进程里按 `pick` 选一个，一口气跑完。
fn non_preemptive(jobs: &[Job], pick: impl Fn(&Job) -> (u32, u32)) -> Vec<Slice> {
    let mut left: Vec<Job> = jobs.to_vec();
    let mut now = 0;
    let mut gantt = Vec::new();
    while !left.is_empty() {
        let earliest = left.iter().map(|j| j.arrival).min().unwrap();
        now = now.max(earliest); // 没人到达时 CPU 空闲，直接快进
        let i = (0..left.len())
            .filter(|&i| left[i].arrival <= now)
            .min_by_key(|&i| (pick(&left[i]), i))
            .unwrap();
        let job = left.remove(i);
        push(&mut gantt, job.name, now, now + job.burst);
        now += job.burst;
    }
    gantt
}

/// 先来先服务：按到达顺序。
pub fn fcfs(jobs: &[Job]) -> Vec<Slice> {
    non_preemptive(jobs, |j| (j.arrival, 0))
}

/// 短作业优先（非抢占）：已到达的进程里挑运行时间最短的，相同时先到先得。
pub fn sjf(jobs: &[Job]) -> Vec<Slice> {
    non_preemptive(jobs, |j| (j.burst, j.arrival))
}
// ANCHOR_END: fcfs-sjf

/// 最短剩余时间优先（抢占式 SJF）：每个时间单位都重新挑剩余时间最短的。
pub fn srtf(jobs: &[Job]) -> Vec<Slice> {
    let mut left: Vec<u32> = jobs.iter().map(|j| j.burst).collect();
    let mut now = 0;
    let mut gantt = Vec::new();
    while left.iter().any(|&r| r > 0) {
        let ready = (0..jobs.len()).filter(|&i| left[i] > 0 && jobs[i].arrival <= now);
        match ready.min_by_key(|&i| (left[i], jobs[i].arrival, i)) {
            Some(i) => {
                push(&mut gantt, jobs[i].name, now, now + 1);
                left[i] -= 1;
                now += 1;
            }
            None => now += 1, // CPU 空闲
        }
    }
    gantt
}

// ANCHOR: rr
/// 时间片轮转：就绪队列先进先出，每个进程最多连续运行 `quantum`，没跑完就排到队尾。
/// 约定：在时间片结束的同一时刻到达的新进程，排在被换下的进程前面。
pub fn round_robin(jobs: &[Job], quantum: u32) -> Vec<Slice> {
    use std::collections::VecDeque;
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| (jobs[i].arrival, i));
    let mut arrivals = order.into_iter().peekable();
    let mut left: Vec<u32> = jobs.iter().map(|j| j.burst).collect();
    let mut ready = VecDeque::new();
    let mut now = 0;
    let mut gantt = Vec::new();
    loop {
        // 把截至 now 已到达的进程放进就绪队列
        while let Some(&i) = arrivals.peek() {
            if jobs[i].arrival > now {
                break;
            }
            ready.push_back(i);
            arrivals.next();
        }
        let Some(i) = ready.pop_front() else {
            match arrivals.peek() {
                Some(&i) => now = jobs[i].arrival, // CPU 空闲，快进到下一个到达
                None => return gantt,
            }
            continue;
        };
        let run = left[i].min(quantum);
        push(&mut gantt, jobs[i].name, now, now + run);
        now += run;
        left[i] -= run;
        // 先收下这段时间里到达的进程，再让被换下的进程排队尾
        while let Some(&j) = arrivals.peek() {
            if jobs[j].arrival > now {
                break;
            }
            ready.push_back(j);
            arrivals.next();
        }
        if left[i] > 0 {
            ready.push_back(i);
        }
    }
}
// ANCHOR_END: rr

/// 教科书式的工作负载：四个进程陆续到达。
pub fn textbook_workload() -> Vec<Job> {
    vec![
        Job {
            name: 'A',
            arrival: 0,
            burst: 8,
        },
        Job {
            name: 'B',
            arrival: 1,
            burst: 4,
        },
        Job {
            name: 'C',
            arrival: 2,
            burst: 9,
        },
        Job {
            name: 'D',
            arrival: 3,
            burst: 5,
        },
    ]
}

/// 把甘特图画成一行文字，例如 `|A 0-8|B 8-12|`。
pub fn render(gantt: &[Slice]) -> String {
    let mut s = String::from("|");
    for g in gantt {
        s += &format!("{} {}-{}|", g.name, g.start, g.end);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slices(spec: &[(char, u32, u32)]) -> Vec<Slice> {
        spec.iter()
            .map(|&(name, start, end)| Slice { name, start, end })
            .collect()
    }

    // 下面的期望值都是手算的，与页面上的甘特图一致。

    #[test]
    fn fcfs_runs_in_arrival_order() {
        let jobs = textbook_workload();
        let g = fcfs(&jobs);
        assert_eq!(
            g,
            slices(&[('A', 0, 8), ('B', 8, 12), ('C', 12, 21), ('D', 21, 26)])
        );
        let w = waiting_times(&jobs, &g);
        assert_eq!(w, vec![0, 7, 10, 18]);
        assert_eq!(average(&w), 8.75);
    }

    #[test]
    fn sjf_picks_the_shortest_arrived_job_when_the_cpu_frees_up() {
        let jobs = textbook_workload();
        let g = sjf(&jobs);
        // A 已在运行，不会被抢占；A 结束时 B(4)、D(5)、C(9) 都到了
        assert_eq!(
            g,
            slices(&[('A', 0, 8), ('B', 8, 12), ('D', 12, 17), ('C', 17, 26)])
        );
        let w = waiting_times(&jobs, &g);
        assert_eq!(w, vec![0, 7, 15, 9]);
        assert_eq!(average(&w), 7.75);
    }

    #[test]
    fn srtf_preempts_when_a_shorter_job_arrives() {
        let jobs = textbook_workload();
        let g = srtf(&jobs);
        assert_eq!(
            g,
            slices(&[
                ('A', 0, 1),
                ('B', 1, 5),
                ('D', 5, 10),
                ('A', 10, 17),
                ('C', 17, 26)
            ])
        );
        let w = waiting_times(&jobs, &g);
        assert_eq!(w, vec![9, 0, 15, 2]);
        assert_eq!(average(&w), 6.5);
    }

    #[test]
    fn round_robin_with_quantum_4() {
        let jobs = textbook_workload();
        let g = round_robin(&jobs, 4);
        assert_eq!(
            g,
            slices(&[
                ('A', 0, 4),
                ('B', 4, 8),
                ('C', 8, 12),
                ('D', 12, 16),
                ('A', 16, 20),
                ('C', 20, 24),
                ('D', 24, 25),
                ('C', 25, 26)
            ])
        );
        let w = waiting_times(&jobs, &g);
        assert_eq!(w, vec![12, 3, 15, 17]);
        assert_eq!(average(&w), 11.75);
    }

    #[test]
    fn round_robin_with_a_huge_quantum_is_fcfs() {
        let jobs = textbook_workload();
        assert_eq!(round_robin(&jobs, 100), fcfs(&jobs));
    }

    #[test]
    fn the_convoy_effect_one_long_job_first() {
        // 长作业先到：FCFS 让两个短作业陪着等，SJF 和 RR 都好得多
        let jobs = [
            Job {
                name: 'L',
                arrival: 0,
                burst: 24,
            },
            Job {
                name: 'S',
                arrival: 0,
                burst: 3,
            },
            Job {
                name: 'T',
                arrival: 0,
                burst: 3,
            },
        ];
        assert_eq!(waiting_times(&jobs, &fcfs(&jobs)), vec![0, 24, 27]); // 平均 17
        assert_eq!(waiting_times(&jobs, &sjf(&jobs)), vec![6, 0, 3]); // 平均 3
        assert_eq!(waiting_times(&jobs, &round_robin(&jobs, 4)), vec![6, 4, 7]);
        // 平均 5.67
    }

    #[test]
    fn idle_gaps_are_skipped() {
        let jobs = [
            Job {
                name: 'A',
                arrival: 0,
                burst: 2,
            },
            Job {
                name: 'B',
                arrival: 5,
                burst: 1,
            },
        ];
        let expected = slices(&[('A', 0, 2), ('B', 5, 6)]);
        assert_eq!(fcfs(&jobs), expected);
        assert_eq!(sjf(&jobs), expected);
        assert_eq!(srtf(&jobs), expected);
        assert_eq!(round_robin(&jobs, 1), expected);
        assert_eq!(render(&expected), "|A 0-2|B 5-6|");
    }
}
