//! `annals stats` on the sample record (snapshots of every format), and the
//! count charts (`chart --type matrix|multiples`): strict XML, escaped
//! text, the order and cap the docs promise.

use crate::query::annals;
use annals::chart::{Options, matrix, multiples};
use annals::count::groups::By;
use annals::date::Date;
use annals::model::{Actor, ActorRef, ActorType, Event, Origin, Record, Role};
use serde_json::Value;

const SAMPLE: &str = "events";

fn ok(args: &[&str]) -> String {
    let r = annals(SAMPLE, args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    assert_eq!(r.stderr, "", "{args:?} wrote to stderr");
    assert_eq!(
        annals(SAMPLE, args).stdout,
        r.stdout,
        "{args:?} is not deterministic"
    );
    r.stdout
}

macro_rules! snapshots {
    ($($name:ident: [$($arg:expr),*];)*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), ok(&[$($arg),*]));
        }
    )*};
}

snapshots! {
    stats_total: ["stats"];
    stats_kind_month_table: ["stats", "--from", "2024-01", "--to", "2024-04", "--by", "kind", "--bin", "month"];
    stats_dyad_md: ["stats", "--from", "2024-01", "--to", "2024-04", "--by", "dyad", "--format", "md"];
    stats_initiator_quarter_csv: ["stats", "--from", "2024-01", "--to", "2024-06", "--by", "initiator", "--bin", "quarter", "--format", "csv"];
    stats_country_status_json: ["stats", "--from", "2024", "--to", "2024", "--by", "country", "--by", "status", "--bin", "quarter", "--status", "occurred", "--status", "reported", "--status", "scheduled", "--format", "json"];
    stats_members_folded: ["stats", "--actor", "japan-government", "--members", "--by", "initiator", "--bin", "month", "--from", "2024-01", "--to", "2024-04"];
}

#[test]
fn cancelled_and_scheduled_events_are_counted_only_when_asked() {
    // A copy of the sample with one event cancelled.
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(SAMPLE).unwrap() {
        let f = f.unwrap().path();
        let text = std::fs::read_to_string(&f).unwrap();
        let text = if f.ends_with("2024-02.yaml") {
            text.replacen("status: occurred", "status: cancelled", 1)
        } else {
            text
        };
        std::fs::write(dir.path().join(f.file_name().unwrap()), text).unwrap();
    }
    let d = dir.path().to_str().unwrap();
    let n = |args: &[&str]| -> u64 {
        let mut a = vec!["stats", "--format", "json"];
        a.extend_from_slice(args);
        let r = annals(d, &a);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        v["total"]["total"]["possible"].as_u64().unwrap()
    };
    let all = annals(d, &["query", "--format", "ids"])
        .stdout
        .lines()
        .count() as u64;
    let (cancelled, scheduled) = (n(&["--status", "cancelled"]), n(&["--status", "scheduled"]));
    assert_eq!((cancelled, scheduled), (1, 2));
    assert_eq!(n(&[]) + cancelled + scheduled, all);
    assert_eq!(n(&["--status", "occurred", "--status", "reported"]), n(&[]));
}

#[test]
fn json_and_csv_carry_the_same_numbers() {
    let args = [
        "stats", "--from", "2024-01", "--to", "2024-04", "--by", "kind", "--bin", "month",
    ];
    let json: Value =
        serde_json::from_str(&ok(&[&args[..], &["--format", "json"]].concat())).unwrap();
    let csv = ok(&[&args[..], &["--format", "csv"]].concat());
    let mut r = ::csv::Reader::from_reader(csv.as_bytes());
    let mut from_csv = Vec::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if !rec[1].is_empty() && !rec[0].is_empty() {
            from_csv.push((
                rec[0].to_string(),
                rec[1].to_string(),
                rec[4].parse::<u64>().unwrap(),
                rec[5].parse::<u64>().unwrap(),
            ));
        }
    }
    let bins: Vec<&str> = json["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["bin"].as_str().unwrap())
        .collect();
    let mut from_json = Vec::new();
    for row in json["rows"].as_array().unwrap() {
        for (b, c) in bins.iter().zip(row["cells"].as_array().unwrap()) {
            from_json.push((
                row["key"]["kind"].as_str().unwrap().to_string(),
                (*b).to_string(),
                c["certain"].as_u64().unwrap(),
                c["possible"].as_u64().unwrap(),
            ));
        }
    }
    assert!(!from_json.is_empty());
    assert_eq!(from_csv, from_json);
}

#[test]
fn bad_groupings_are_usage_errors() {
    for args in [
        &["stats", "--by", "colour"][..],
        &["stats", "--by", "dyad", "--by", "initiator"],
        &["stats", "--by", "kind", "--by", "kind"],
        &["stats", "--bin", "week", "--from", "1000", "--to", "2024"],
    ] {
        let r = annals(SAMPLE, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(r.stderr.contains("error"), "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "");
    }
}

// ---------------------------------------------------------------------------
// The count charts

fn person(id: &str, name: &str) -> Actor {
    Actor {
        id: id.into(),
        name: name.into(),
        kind: ActorType::Person,
        country: Some("JPN".into()),
        aliases: vec![],
        member_of: vec![],
        roles: vec![],
        note: None,
        origin: Origin::default(),
    }
}

fn act(id: &str, date: &str, title: &str, from: &str, to: &str) -> Event {
    Event {
        actors: vec![
            ActorRef {
                actor: from.into(),
                role: Role::Initiator,
            },
            ActorRef {
                actor: to.into(),
                role: Role::Target,
            },
        ],
        ..Event::new(id, Date::parse(date).unwrap(), "statement", title)
    }
}

const EVIL: &str = "Eve </text><script>alert(1)</script> & \u{1b}[31m";

fn hostile() -> Record {
    Record {
        actors: vec![person("a", EVIL), person("b", "Bob"), person("c", "Carol")],
        events: vec![
            act("e1", "2024-01-05", EVIL, "a", "b"),
            act("e2", "2024-01", "Month", "a", "b"),
            act("e3", "2024-01/..", "Open", "b", "c"),
            act("e4", "2024-02-01", "Plain", "a", "c"),
        ],
        ..Record::default()
    }
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).expect("strict XML");
    assert!(!svg.contains("<script"), "unescaped markup");
    assert!(!svg.contains('\u{1b}'), "a control character");
    doc
}

#[test]
fn the_matrix_orders_rows_by_total_and_lists_each_cells_events() {
    let r = hostile();
    let events: Vec<&Event> = r.events.iter().collect();
    let chart = matrix::render(&r, &events, &Options::default(), &[]);
    let doc = parse(&chart.svg);
    let cells: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("cell"))
        .collect();
    // a→b (2), a→c (1), b→c (0–1 open): rows a, b; columns b, c.
    let at = |n: &roxmltree::Node| {
        (
            n.attribute("data-row").unwrap().to_string(),
            n.attribute("data-column").unwrap().to_string(),
            n.attribute("data-certain").unwrap().to_string(),
            n.attribute("data-possible").unwrap().to_string(),
        )
    };
    let got: Vec<_> = cells.iter().map(at).collect();
    let s = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_string(), b.to_string(), c.to_string(), d.to_string())
    };
    assert_eq!(
        got,
        [
            s("0", "0", "2", "2"),
            s("0", "1", "1", "1"),
            s("1", "1", "0", "1")
        ]
    );
    // Possible-only cells are hatched, never in the scale's colours, and
    // the legend says what the hatch means (issue 16).
    let hatched: Vec<bool> = cells
        .iter()
        .map(|n| n.children().any(|c| c.attribute("class") == Some("hatch")))
        .collect();
    assert_eq!(hatched, [false, false, true]);
    assert!(
        doc.descendants()
            .any(|n| n.attribute("class") == Some("hatch-key")),
        "no legend entry for the hatch"
    );
    let tip = cells[0]
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(
        tip.contains("</text><script>alert(1)</script>") && tip.contains("Month"),
        "{tip}"
    );
}

#[test]
fn multiples_cap_their_panels_and_share_one_scale() {
    let mut r = hostile();
    let kinds: Vec<String> = (0..15).map(|i| format!("kind-{i:02}")).collect();
    for (i, k) in kinds.iter().enumerate() {
        for j in 0..=i {
            let mut e = act(&format!("k{i}-{j}"), "2024-03-02", "K", "a", "b");
            e.kind = k.as_str().into();
            r.events.push(e);
        }
    }
    let events: Vec<&Event> = r.events.iter().collect();
    let chart = multiples::render(&r, &events, &Options::default(), By::Kind, &[]);
    let doc = parse(&chart.svg);
    let panels = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("panel"))
        .count();
    assert_eq!(panels, 12);
    assert_eq!(chart.layout.legend.len(), 12);
    assert!(
        chart.layout.legend[11].ends_with(" more kinds"),
        "{:?}",
        chart.layout.legend
    );
    // Busiest first: kind-14 has 15 events.
    assert_eq!(chart.layout.legend[0], "Kind 14");
}

/// Issue 16 follow-up: a kind called "other" keeps its own panel, and the
/// panel of merged kinds is named apart from it ("n more kinds").
#[test]
fn the_merged_panel_is_not_named_other() {
    let mut r = hostile();
    for i in 0..14 {
        for j in 0..=i {
            let mut e = act(&format!("k{i}-{j}"), "2024-03-02", "K", "a", "b");
            e.kind = if i == 13 {
                "other".into()
            } else {
                format!("kind-{i:02}").as_str().into()
            };
            r.events.push(e);
        }
    }
    let events: Vec<&Event> = r.events.iter().collect();
    let chart = multiples::render(&r, &events, &Options::default(), By::Kind, &[]);
    let legend = &chart.layout.legend;
    assert_eq!(legend[0], "Other", "{legend:?}");
    assert_eq!(legend.iter().filter(|n| n.as_str() == "Other").count(), 1);
    let last = legend.last().unwrap();
    assert!(
        last.ends_with(" more kinds") && !last.contains("Other"),
        "{legend:?}"
    );
    assert!(chart.svg.contains(last.as_str()));
}

/// The count charts print like the timeline and histogram: `--size` sets
/// the SVG's physical size, `.png` and `.pdf` give those formats, and a
/// height less than the chart needs is refused with the least it needs
/// (issue 16, as issue 15 asks of every chart).
#[test]
fn count_charts_honour_size_pdf_and_png() {
    let tmp = tempfile::tempdir().unwrap();
    for kind in ["matrix", "multiples"] {
        let svg = annals(
            SAMPLE,
            &["chart", "--type", kind, "--size", "12cm", "-o", "-"],
        );
        assert_eq!(svg.code, 0, "{kind}: {}", svg.stderr);
        let doc = parse(&svg.stdout);
        assert_eq!(
            doc.root_element().attribute("width"),
            Some("120mm"),
            "{kind}"
        );

        let png = tmp.path().join(format!("{kind}.png"));
        let r = annals(
            SAMPLE,
            &[
                "chart",
                "--type",
                kind,
                "--dpi",
                "100",
                "-o",
                png.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
        let bytes = std::fs::read(&png).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{kind}: not a PNG");
        let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        assert_eq!(w, (170.0 / 25.4 * 100.0_f64).round() as u32, "{kind}");

        let pdf = tmp.path().join(format!("{kind}.pdf"));
        let r = annals(
            SAMPLE,
            &["chart", "--type", kind, "-o", pdf.to_str().unwrap()],
        );
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"), "{kind}");

        let r = annals(
            SAMPLE,
            &["chart", "--type", kind, "--size", "17cmx2cm", "-o", "-"],
        );
        assert_eq!(r.code, 2, "{kind}: a 2 cm page is refused");
        assert!(
            r.stderr.contains("the chart needs a height of at least ")
                && r.stderr.contains("cm at this width"),
            "{kind}: {}",
            r.stderr
        );
        assert_eq!(r.stdout, "", "{kind}: nothing written");
    }
}
