//! The one thread pool: work items in parallel, results in order.
//!
//! Loading (one file per item) and rendering diagnostics (one file's places
//! per item) both need the same thing: run a job per item on every core,
//! and take the results in item order whatever the thread timing, so that
//! output is deterministic. [`ordered`] hands each result to the caller as
//! soon as the ones before it are in, so the caller can fold them one by
//! one (the loader moves each file's items into the record and frees them);
//! [`map`] collects them.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Runs `work(i)` for every `i` in `0..n` on up to one thread per core, and
/// calls `take(i, result)` on the calling thread in order of `i`.
pub fn ordered<R: Send>(n: usize, work: impl Fn(usize) -> R + Sync, take: impl FnMut(usize, R)) {
    ordered_on(cores(), n, work, take);
}

/// [`ordered`] whose results are written to `out` in order as they come:
/// `write(out, i, result)` for each, until a write fails; the jobs left
/// are still run, their results dropped, and the first error returned.
/// What the streamed outputs (timelines, exports) are made with, so that
/// the whole text is never held and the bytes do not depend on threads.
///
/// # Errors
///
/// The first error `write` returned.
pub fn write_ordered<R: Send>(
    out: &mut dyn std::io::Write,
    n: usize,
    work: impl Fn(usize) -> R + Sync,
    mut write: impl FnMut(&mut dyn std::io::Write, usize, R) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut written = Ok(());
    ordered(n, work, |i, r| {
        if written.is_ok() {
            written = write(&mut *out, i, r);
        }
    });
    written
}

/// [`ordered`] on up to `workers` threads: work that waits on the network
/// (`check --links`) wants more threads than cores.
pub fn ordered_on<R: Send>(
    workers: usize,
    n: usize,
    work: impl Fn(usize) -> R + Sync,
    mut take: impl FnMut(usize, R),
) {
    let done: Mutex<Vec<Option<R>>> = Mutex::new((0..n).map(|_| None).collect());
    let ready = Condvar::new();
    let next = AtomicUsize::new(0);
    let workers = workers.min(n).max(1);
    if workers == 1 {
        // One job, or one core: no thread to start and wait on.
        for i in 0..n {
            take(i, work(i));
        }
        return;
    }
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let r = work(i);
                    lock(&done)[i] = Some(r);
                    ready.notify_all();
                }
            });
        }
        for i in 0..n {
            let r = {
                let mut slots = lock(&done);
                loop {
                    if let Some(r) = slots[i].take() {
                        break r;
                    }
                    slots = ready.wait(slots).unwrap_or_else(|e| e.into_inner());
                }
            };
            take(i, r);
        }
    });
}

/// `f` over `items` in parallel; the results in the items' order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_on(cores(), items, f)
}

/// [`map`] for many small jobs: `f` over `items`, a chunk of `chunk` items
/// per job, since handing a result over costs a lock and a wake-up (a job
/// per event of a large record would spend more on that than on the work).
pub fn map_chunked<T: Sync, R: Send>(
    items: &[T],
    chunk: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let chunk = chunk.max(1);
    let mut out = Vec::with_capacity(items.len());
    ordered(
        items.len().div_ceil(chunk),
        |c| {
            items[c * chunk..((c + 1) * chunk).min(items.len())]
                .iter()
                .map(&f)
                .collect::<Vec<R>>()
        },
        |_, part| out.extend(part),
    );
    out
}

/// [`map`] on up to `workers` threads.
pub fn map_on<T: Sync, R: Send>(workers: usize, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let mut out = Vec::with_capacity(items.len());
    ordered_on(workers, items.len(), |i| f(&items[i]), |_, r| out.push(r));
    out
}

thread_local! {
    /// The number of workers [`with_workers`] set for jobs started from
    /// this thread; `None`: one per core.
    static WORKERS: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `f` with the pool's jobs that `f` starts on this thread limited to
/// `workers` threads (at least one), then restores what was set before.
/// Output never depends on the number of threads; tests run a renderer on
/// one thread and on several and compare the bytes.
#[cfg(test)]
pub fn with_workers<R>(workers: usize, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<usize>);
    impl Drop for Restore {
        fn drop(&mut self) {
            WORKERS.with(|w| w.set(self.0));
        }
    }
    let _restore = Restore(WORKERS.with(|w| w.replace(Some(workers.max(1)))));
    f()
}

/// Runs `a` and `b` at once, `b` on a thread of its own when there are
/// two cores or more, and returns both results: two independent stages
/// of one job (a chart's lanes and its events' timeline positions).
pub fn join<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    if cores() < 2 {
        let first = a();
        return (first, b());
    }
    std::thread::scope(|s| {
        let other = s.spawn(b);
        let first = a();
        let second = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

/// One worker per core, unless [`with_workers`] says otherwise.
/// Sorts `items` by `cmp`, halves on two threads and merged when there
/// are enough items and cores. `cmp` must be a total order that calls no
/// two different items equal (break ties by position), so that the result
/// is the one a single-threaded sort gives, on any number of threads.
pub fn sort_by<T: Copy + Send>(items: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync) {
    const LEAST: usize = 16_384;
    // Items already in order (a selection sorted again for a chart's
    // ties) cost one pass, not a thread, a merge and a copy.
    if items.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        return;
    }
    if items.len() < LEAST || cores() < 2 {
        items.sort_unstable_by(&cmp);
        return;
    }
    let mid = items.len() / 2;
    let (a, b) = items.split_at_mut(mid);
    std::thread::scope(|s| {
        s.spawn(|| a.sort_unstable_by(&cmp));
        b.sort_unstable_by(&cmp);
    });
    let mut merged = Vec::with_capacity(items.len());
    let (a, b) = items.split_at(mid);
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if cmp(&b[j], &a[i]).is_lt() {
            merged.push(b[j]);
            j += 1;
        } else {
            merged.push(a[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    items.copy_from_slice(&merged);
}

fn cores() -> usize {
    WORKERS
        .with(Cell::get)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |c| c.get()))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sort_on_two_threads_gives_the_one_thread_order() {
        // Pseudo-random keys with many repeats, ties broken by position.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let keys: Vec<(u32, usize)> = (0..50_000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ((x % 997) as u32, i)
            })
            .collect();
        let mut want = keys.clone();
        want.sort_unstable();
        for workers in [1, 2, 4] {
            let mut got = keys.clone();
            with_workers(workers, || sort_by(&mut got, |a, b| a.cmp(b)));
            assert_eq!(got, want, "{workers} workers");
            // Already in order, and in reverse order.
            let mut got = want.clone();
            with_workers(workers, || sort_by(&mut got, |a, b| a.cmp(b)));
            assert_eq!(got, want, "{workers} workers, sorted");
            let mut got: Vec<_> = want.iter().rev().copied().collect();
            with_workers(workers, || sort_by(&mut got, |a, b| a.cmp(b)));
            assert_eq!(got, want, "{workers} workers, reversed");
        }
    }

    #[test]
    fn join_gives_both_results_on_any_number_of_cores() {
        for workers in [1, 2] {
            let (a, b) = with_workers(workers, || {
                join(|| (0..1000u64).sum::<u64>(), || map(&[1, 2, 3], |x| x * 2))
            });
            assert_eq!((a, b), (499_500, vec![2, 4, 6]), "{workers} workers");
        }
    }

    #[test]
    fn results_come_in_order() {
        let items: Vec<u64> = (0..200).collect();
        let out = map(&items, |&x| {
            if x % 7 == 0 {
                std::thread::yield_now();
            }
            x * 2
        });
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(map(&[] as &[u8], |_| 0).is_empty());
        let doubled = map_chunked(&items, 7, |&x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(map_chunked(&[] as &[u8], 7, |_| 0).is_empty());
    }

    #[test]
    fn with_workers_sets_the_pool_for_this_thread_only() {
        let seen = with_workers(1, || {
            let inner = with_workers(3, cores);
            (cores(), inner)
        });
        assert_eq!(seen, (1, 3));
        assert_eq!(
            cores(),
            std::thread::available_parallelism().map_or(1, |c| c.get())
        );
        // One worker still runs every job, in order.
        let out = with_workers(1, || map(&[1, 2, 3], |x| x * 10));
        assert_eq!(out, [10, 20, 30]);
    }
}
