//! `annals chart --type matrix|multiples`: the count charts of issue 16,
//! kept apart from `chart.rs` (timeline, histogram).

use super::chart::{Args, BinArg, TypeArg};
use super::common::{compile, load_clean};
use super::output::{print, say_wrote, write_output};
use super::stats::{default_statuses, fold_targets};
use super::{Context, usage_error};
use annals::chart::{Bin, Options, matrix, multiples};
use annals::count::groups::By;
use annals::query::{Query, select};
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Kind,
    Actor,
    Country,
}

pub fn run(ctx: &Context, args: &Args, mut query: Query) -> i32 {
    default_statuses(&mut query);
    let record = match load_clean(ctx) {
        Ok(c) => &c.record,
        Err(code) => return code,
    };
    // --from/--to set the window; events overlapping it are counted, as
    // possible when they reach outside it.
    let from = query.from.as_ref().and_then(|d| d.earliest());
    let to = query.to.as_ref().and_then(|d| d.latest());
    let filter = match compile(&query, record) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let events = select(record, &filter);
    let fold = fold_targets(&query, record);
    let opts = Options {
        bin: args.bin.map(|b| match b {
            BinArg::Day => Bin::Day,
            BinArg::Week => Bin::Week,
            BinArg::Month => Bin::Month,
            BinArg::Quarter => Bin::Quarter,
            BinArg::Year => Bin::Year,
        }),
        title: args.title.clone(),
        width: args.width.unwrap_or(1200),
        height: args.height,
        from,
        to,
        ..Options::default()
    };
    let (chart, default) = if args.chart_type == TypeArg::Matrix {
        (
            matrix::render(record, &events, &opts, &fold),
            "charts/matrix.svg",
        )
    } else {
        let by = match args.by.unwrap_or(ByArg::Kind) {
            ByArg::Kind => By::Kind,
            ByArg::Actor => By::Actor,
            ByArg::Country => By::Country,
        };
        (
            multiples::render(record, &events, &opts, by, &fold),
            "charts/multiples.svg",
        )
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(default));
    if out.as_os_str() == "-" {
        return print(&chart.svg);
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return usage_error(format_args!("cannot write `{}`: {e}", out.display()));
        }
    }
    match write_output(&out, chart.svg.as_bytes()) {
        Ok(()) => {
            say_wrote(ctx, &out, &[(events.len(), "event")]);
            super::EXIT_OK
        }
        Err(e) => usage_error(format_args!("cannot write `{}`: {e}", out.display())),
    }
}
