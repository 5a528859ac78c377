//! `annals check --links` against an HTTP server this test starts on
//! 127.0.0.1: 200, 301, 404, HEAD refused, a slow answer, a huge body, a
//! refused connection. No request leaves the machine.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const HUGE: u64 = 200 * 1024 * 1024;

/// What the server saw.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    open: AtomicUsize,
    most_open: AtomicUsize,
    huge_bytes_sent: AtomicUsize,
    agents: Mutex<Vec<String>>,
}

/// Starts the server; it runs until the test process ends.
fn server() -> (u16, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let s = s.clone();
            std::thread::spawn(move || serve(conn, &s));
        }
    });
    (port, seen)
}

fn serve(mut conn: TcpStream, seen: &Seen) {
    let open = seen.open.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most_open.fetch_max(open, Ordering::SeqCst);
    seen.requests.fetch_add(1, Ordering::SeqCst);
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts
        .next()
        .unwrap_or("")
        .split('?')
        .next()
        .unwrap_or("")
        .to_string();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some(ua) = h.to_ascii_lowercase().strip_prefix("user-agent:") {
            seen.agents.lock().unwrap().push(ua.trim().to_string());
        }
    }
    let head = method == "HEAD";
    let reply = |conn: &mut TcpStream, status: &str, extra: &str, body: &str| {
        let _ = write!(
            conn,
            "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{}",
            body.len(),
            if head { "" } else { body }
        );
    };
    match path.as_str() {
        "/ok" => reply(&mut conn, "200 OK", "", "ok"),
        "/moved" => reply(&mut conn, "301 Moved Permanently", "Location: /ok\r\n", ""),
        "/gone" => reply(&mut conn, "404 Not Found", "", "gone"),
        "/no-head" if head => reply(&mut conn, "405 Method Not Allowed", "", ""),
        "/no-head" => reply(&mut conn, "200 OK", "", "ok"),
        "/slow" => {
            // Well past the test's 3 s timeout, so a loaded machine
            // cannot answer it in time by accident.
            std::thread::sleep(Duration::from_secs(8));
            reply(&mut conn, "200 OK", "", "late");
        }
        "/many" => {
            std::thread::sleep(Duration::from_millis(150));
            reply(&mut conn, "200 OK", "", "ok");
        }
        // HEAD refused, so the GET comes, and its body is never read.
        "/huge" if head => reply(&mut conn, "405 Method Not Allowed", "", ""),
        "/huge" => {
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Length: {HUGE}\r\nConnection: close\r\n\r\n"
            );
            let chunk = vec![b'x'; 64 * 1024];
            let mut sent = 0u64;
            while sent < HUGE {
                match conn.write(&chunk) {
                    Ok(n) if n > 0 => sent += n as u64,
                    _ => break,
                }
                seen.huge_bytes_sent.store(sent as usize, Ordering::SeqCst);
            }
        }
        _ => reply(&mut conn, "404 Not Found", "", ""),
    }
    let _ = conn.flush();
    // Answered: no longer a request in flight.
    seen.open.fetch_sub(1, Ordering::SeqCst);
    // Read what is left so the client sees an orderly close.
    let mut rest = [0u8; 64];
    let _ = conn.set_read_timeout(Some(Duration::from_millis(100)));
    let _ = conn.read(&mut rest);
}

fn source(id: &str, url: &str, archived: Option<&str>) -> String {
    let mut s = format!(
        "  - id: {id}\n    title: {id}\n    publisher: P\n    url: {url}\n    accessed: 2026-11-30\n"
    );
    if let Some(a) = archived {
        s.push_str(&format!("    archived: {a}\n"));
    }
    s
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn check_links(dir: &Path, cache: &Path, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("--dir")
        .arg(dir)
        .args(["check", "--links", "--link-timeout", "3"])
        .args(extra)
        .env("XDG_CACHE_HOME", cache)
        .env("NO_COLOR", "1")
        // The requests go to 127.0.0.1 itself, never through a proxy.
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap(),
    }
}

/// The `severity[code]` and id of each diagnostic, from human output.
fn found(stdout: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut head = None;
    for line in stdout.lines() {
        if line.contains('[') && !line.starts_with(' ') && line.contains("]:") {
            head = Some(line.split(':').next().unwrap().to_string());
        }
        if let Some(id) = line.strip_prefix("   = note: in `") {
            if let Some(h) = head.take() {
                out.push((h, id.trim_end_matches('`').to_string()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn links_are_checked_reported_and_cached() {
    let (port, seen) = server();
    let base = format!("http://127.0.0.1:{port}");
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    let record = [
        source("ok", &format!("{base}/ok"), None),
        source("moved", &format!("{base}/moved"), None),
        source("gone", &format!("{base}/gone"), None),
        source(
            "gone-archived",
            &format!("{base}/gone?a"),
            Some(&format!("{base}/ok")),
        ),
        source(
            "archive-gone",
            &format!("{base}/ok?b"),
            Some(&format!("{base}/gone?b")),
        ),
        source("no-head", &format!("{base}/no-head"), None),
        source("slow", &format!("{base}/slow"), None),
        source("huge", &format!("{base}/huge"), None),
        source("refused", "http://127.0.0.1:9/nothing", None),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sources.yaml"),
        format!("sources:\n{record}"),
    )
    .unwrap();

    let r = check_links(dir.path(), cache.path(), &[]);
    assert_eq!(
        r.code, 0,
        "dead links are warnings\n{}{}",
        r.stdout, r.stderr
    );
    let want: Vec<(String, String)> = vec![
        ("note[dead-link]", "gone-archived"),
        ("note[link-unchecked]", "refused"),
        ("note[link-unchecked]", "slow"),
        ("note[redirected-link]", "moved"),
        ("warning[dead-link]", "archive-gone"),
        ("warning[dead-link]", "gone"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(found(&r.stdout), want, "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("redirects to `{base}/ok`")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("could not be checked: timed out"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("link is dead (HTTP 404); the archived copy stands in")
    );
    assert!(r.stdout.contains("archived copy is dead (HTTP 404)"));
    assert!(
        r.stdout.ends_with("0 errors, 2 warnings, 4 notes\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("checked 10 links (0 from the cache"),
        "{}",
        r.stderr
    );

    // The huge body was never read: the server could send only what the
    // socket buffers hold before the client hung up.
    let sent = seen.huge_bytes_sent.load(Ordering::SeqCst) as u64;
    assert!(sent < HUGE / 4, "{sent} bytes of the huge body were sent");
    let agents = seen.agents.lock().unwrap().clone();
    assert!(
        !agents.is_empty() && agents.iter().all(|a| a.starts_with("annals/")),
        "{agents:?}"
    );

    // The cache answers a second run within the day; nothing lands in the
    // record directory.
    let before = seen.requests.load(Ordering::SeqCst);
    let again = check_links(dir.path(), cache.path(), &[]);
    assert_eq!(again.stdout, r.stdout);
    assert!(
        again.stderr.contains("checked 10 links (10 from the cache"),
        "{}",
        again.stderr
    );
    assert_eq!(
        seen.requests.load(Ordering::SeqCst),
        before,
        "no request on a cached run"
    );
    assert!(cache.path().join("annals/links.json").is_file());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["sources.yaml"]);

    let denied = check_links(dir.path(), cache.path(), &["--deny-warnings"]);
    assert_eq!(denied.code, 1);
}

#[test]
fn network_failures_alone_never_fail_the_check_and_at_most_eight_at_once() {
    let (port, seen) = server();
    let mut record = String::from("sources:\n");
    for i in 0..24 {
        record.push_str(&source(
            &format!("s{i}"),
            &format!("http://127.0.0.1:{port}/many?{i}"),
            None,
        ));
    }
    record.push_str(&source("refused", "http://127.0.0.1:9/", None));
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sources.yaml"), record).unwrap();
    let r = check_links(dir.path(), cache.path(), &["--deny-warnings"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout.matches("note[link-unchecked]").count(),
        1,
        "{}",
        r.stdout
    );
    let most = seen.most_open.load(Ordering::SeqCst);
    assert!((1..=8).contains(&most), "{most} requests at once");
}

#[test]
fn links_are_never_checked_unless_asked() {
    let (port, seen) = server();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sources.yaml"),
        format!(
            "sources:\n{}",
            source("ok", &format!("http://127.0.0.1:{port}/ok"), None)
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("--dir")
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(seen.requests.load(Ordering::SeqCst), 0);
}
