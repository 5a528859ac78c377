//! A closed pipe (`annals query | head -1`) ends every command quietly:
//! exit 0, nothing on stderr, no panic.
//!
//! Each run spawns the binary with stdout on a pipe whose reading end is
//! closed at once, before the command writes anything: its first write
//! then fails with `EPIPE` every time (Rust ignores SIGPIPE), which is the
//! case `head` makes once it has read what it wants. Closing after reading
//! some output would depend on the pipe's buffer size and be flaky.

use super::check::{TIMEOUT, annals};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const RECORD: &str = "tests/fixtures/query/record";

/// Runs `cmd` with stdout closed early; its exit code and stderr.
fn closed_stdout(mut cmd: Command) -> (i32, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the annals binary starts");
    drop(child.stdout.take());
    let mut err = child.stderr.take().expect("piped");
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for annals") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("annals did not finish within {TIMEOUT:?}: {cmd:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let stderr = err.join().expect("stderr reader");
    let code = status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {cmd:?}\n{stderr}"));
    (code, stderr)
}

fn assert_quiet(dir: &Path, args: &[&str]) {
    let mut cmd = annals();
    cmd.arg("--dir").arg(dir).args(args);
    let (code, stderr) = closed_stdout(cmd);
    assert_eq!(
        (code, stderr.as_str()),
        (0, ""),
        "annals {args:?} with its stdout closed"
    );
}

#[test]
fn read_commands_end_quietly_on_a_closed_pipe() {
    let dir = Path::new(RECORD);
    for args in [
        &["query"][..],
        &["query", "--format", "json"],
        &["query", "--format", "ids"],
        &["timeline"],
        &["timeline", "--format", "html"],
        &["export", "--format", "ndjson"],
        &["export", "--format", "csl-json"],
        &["stats"],
        &["stats", "--format", "json"],
        &["actors"],
        &["show", "e-year"],
        &["schema"],
        &["check"],
        &["check", "--format", "json"],
        &["completions", "bash"],
        &["man"],
    ] {
        assert_quiet(dir, args);
    }
}

#[test]
fn charts_on_stdout_end_quietly_on_a_closed_pipe() {
    let dir = Path::new(RECORD);
    for args in [
        &["chart", "-o", "-"][..],
        &["chart", "--type", "histogram", "-o", "-"],
        &["chart", "--type", "matrix", "-o", "-"],
        &["chart", "-o", "-", "--format", "png"],
        &["chart", "-o", "/dev/stdout"],
    ] {
        assert_quiet(dir, args);
    }
}

/// Commands that change the record print their diff (dry run) or what
/// they did on stdout; a closed pipe does not make them fail or panic.
#[test]
fn write_commands_end_quietly_on_a_closed_pipe() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    for f in ["actors.yaml", "events.yaml", "sources.yaml"] {
        std::fs::copy(Path::new(RECORD).join(f), tmp.path().join(f)).expect("copy the record");
    }
    let dir = tmp.path();
    assert_quiet(dir, &["rename", "event", "e-year", "e-year-2", "--dry-run"]);
    assert_quiet(dir, &["set", "e-year", "--title", "Another", "--dry-run"]);
    assert_quiet(dir, &["fmt", "--dry-run"]);
    assert_quiet(
        dir,
        &[
            "add",
            "actor",
            "--file",
            "actors.yaml",
            "--name",
            "New",
            "--type",
            "state",
            "--dry-run",
        ],
    );
    let fresh = tmp.path().join("fresh");
    assert_quiet(
        dir,
        &["init", fresh.to_str().expect("UTF-8 path"), "--dry-run"],
    );
}
