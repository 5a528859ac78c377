//! `annals check --links`: is every source's `url` and `archived` copy
//! still there? The only code that goes on the network, and only when
//! asked; the only module that names the HTTP client (`ureq`).
//!
//! Each distinct URL is asked once: HEAD, then GET when HEAD is refused
//! (some servers answer HEAD with 403, 404 or 405). Redirects are
//! followed and reported. Bodies are never read: the response is dropped
//! once its status line and headers are in, so a 200 MB page costs a few
//! kilobytes. At most [`Options::concurrency`] requests run at once, each
//! bounded by [`Options::timeout`]. Answers are cached (see [`cache`]).
//!
//! What a result means (docs/citations.md): an HTTP error status is a dead
//! link, a warning, or a note when the source has an archived copy; a
//! request that could not be made (DNS, refused, TLS, timeout) says
//! nothing about the page and is a note, so network trouble alone never
//! fails `check`.

pub mod cache;

use crate::codes::Code;
use crate::diag::{Diagnostic, Locus};
use crate::model::{ListKind, Record, Source};
use std::time::Duration;

/// How links are checked.
#[derive(Debug, Clone)]
pub struct Options {
    pub timeout: Duration,
    pub concurrency: usize,
    pub user_agent: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            user_agent: format!(
                "annals/{} (checks the source links of a research record, once a day at most)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// What one URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An HTTP status after redirects, and where the redirects led.
    Status {
        status: u16,
        redirected_to: Option<String>,
    },
    /// No HTTP answer: DNS, connection, TLS, timeout, too many redirects.
    Failed(String),
}

impl Answer {
    fn dead(&self) -> Option<u16> {
        match self {
            Answer::Status { status, .. } if *status >= 400 => Some(*status),
            _ => None,
        }
    }
}

/// Asks every URL in `urls` (distinct), `concurrency` at a time. The
/// answers are in the order of `urls`.
pub fn probe_all(urls: &[String], opts: &Options) -> Vec<Answer> {
    let agent = agent(opts);
    crate::par::map_on(opts.concurrency, urls, |url| probe(&agent, url))
}

fn agent(opts: &Options) -> ureq::Agent {
    use ureq::tls::{RootCerts, TlsConfig, TlsProvider};
    let tls = TlsConfig::builder()
        .provider(TlsProvider::NativeTls)
        .root_certs(RootCerts::PlatformVerifier)
        .build();
    ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(opts.user_agent.as_str())
        .tls_config(tls)
        .build()
        .into()
}

/// HEAD, then GET if HEAD was refused or misunderstood. The body is never
/// read: dropping the response closes the connection.
fn probe(agent: &ureq::Agent, url: &str) -> Answer {
    match request(agent.head(url).call(), url) {
        Ok(a) if a.dead().is_none() => a,
        Err(e) if no_point_retrying(&e) => Answer::Failed(describe(&e)),
        _ => match request(agent.get(url).call(), url) {
            Ok(a) => a,
            Err(e) => Answer::Failed(describe(&e)),
        },
    }
}

fn request(
    r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    url: &str,
) -> Result<Answer, ureq::Error> {
    use ureq::ResponseExt;
    let resp = r?;
    let last = resp.get_uri().to_string();
    let redirected_to =
        (last != url && last.trim_end_matches('/') != url.trim_end_matches('/')).then_some(last);
    Ok(Answer::Status {
        status: resp.status().as_u16(),
        redirected_to,
    })
}

/// Failures a GET would only repeat, after waiting as long again.
fn no_point_retrying(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Timeout(_)
            | ureq::Error::HostNotFound
            | ureq::Error::ConnectionFailed
            | ureq::Error::TooManyRedirects
            | ureq::Error::BadUri(_)
    ) || matches!(e, ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused)
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::TooManyRedirects => "too many redirects".into(),
        ureq::Error::Io(io) => format!("connection error: {io}"),
        other => other.to_string(),
    }
}

/// A URL of a source: its `url` or its `archived` copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Url,
    Archived,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::Url => "url",
            Field::Archived => "archived",
        }
    }
}

/// Every source URL in record order, with its source and field.
pub fn links(record: &Record) -> Vec<(&Source, Field, &str)> {
    let mut out = Vec::new();
    for s in &record.sources {
        if let Some(u) = &s.url {
            out.push((s, Field::Url, u.as_str()));
        }
        if let Some(u) = &s.archived {
            out.push((s, Field::Archived, u.as_str()));
        }
    }
    out
}

/// The diagnostics of one link's answer (none for a plain 2xx or 3xx).
pub fn diagnose(source: &Source, field: Field, answer: &Answer) -> Option<Diagnostic> {
    let at = Locus::path(
        source.origin.file,
        source.origin.path(ListKind::Sources).key(field.key()),
    );
    let what = match field {
        Field::Url => "link",
        Field::Archived => "archived copy",
    };
    let d = match answer {
        Answer::Failed(why) => Diagnostic::new(
            Code::LinkUnchecked,
            format!("{what} could not be checked: {why}"),
            at,
        )
        .with_help(
            "network trouble says nothing about the page; run `annals check --links` again later",
        ),
        Answer::Status { status, .. } if *status >= 400 => {
            let msg = format!("{what} is dead (HTTP {status})");
            match field {
                Field::Url if source.archived.is_some() => {
                    Diagnostic::new(Code::DeadLink, format!("{msg}; the archived copy stands in"), at)
                        .as_note()
                }
                Field::Url => Diagnostic::new(Code::DeadLink, msg, at).with_help(
                    "add `archived:` with a snapshot of the page (e.g. from the Wayback Machine), or correct `url:`",
                ),
                Field::Archived => Diagnostic::new(Code::DeadLink, msg, at)
                    .with_help("point `archived:` at a snapshot that still exists"),
            }
        }
        Answer::Status {
            redirected_to: Some(to),
            ..
        } => Diagnostic::new(
            Code::RedirectedLink,
            format!("{what} redirects to `{to}`"),
            at,
        )
        .with_help(format!("write the new address in `{}:`", field.key())),
        Answer::Status { .. } => return None,
    };
    Some(d.with_id(&source.id))
}

/// What a link check did, for the summary on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked {
    /// Distinct URLs in the record.
    pub urls: usize,
    /// Of which answered from the cache.
    pub cached: usize,
}

/// Checks every source URL and archived copy of `record`: answers younger
/// than a day come from the cache at `cache_path` (when given), the rest
/// from the network; the cache is then updated. `now` is seconds since
/// 1970. Returns one diagnostic per link worth reporting, in record order.
pub fn check(
    record: &Record,
    opts: &Options,
    cache_path: Option<&std::path::Path>,
    now: u64,
) -> (Vec<Diagnostic>, Checked) {
    let links = links(record);
    let mut urls: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (_, _, u) in &links {
        if seen.insert(*u) {
            urls.push(u.to_string());
        }
    }
    let mut known = cache_path.map_or_else(Default::default, |p| cache::load(p, now));
    let ask: Vec<String> = urls
        .iter()
        .filter(|u| !known.contains_key(*u))
        .cloned()
        .collect();
    let stats = Checked {
        urls: urls.len(),
        cached: urls.len() - ask.len(),
    };
    for (u, a) in ask.iter().zip(probe_all(&ask, opts)) {
        known.insert(u.clone(), (now, a));
    }
    if let Some(p) = cache_path {
        // Only a cache: failing to write it costs time, not correctness.
        let _ = cache::store(p, &known);
    }
    let diags = links
        .iter()
        .filter_map(|(s, f, u)| diagnose(s, *f, &known[*u].1))
        .collect();
    (diags, stats)
}
