//! `annals chart --type matrix|multiples`: the count charts of issue 16,
//! kept apart from `chart.rs` (timeline, histogram), sized and written by
//! the same code as those ([`super::chart::emit`]).

use super::chart::{Args, Geometry, TypeArg, emit};
use super::common::{compile, load_clean};
use super::stats::{default_statuses, fold_targets};
use super::{CommandResult, Context};
use annals::chart::{Options, matrix, multiples};
use annals::count::groups::By;
use annals::query::{Query, select};

pub fn run(ctx: &Context, args: &Args, mut query: Query, geometry: &Geometry) -> CommandResult {
    default_statuses(&mut query);
    let record = &load_clean(ctx)?.record;
    // --from/--to set the window; events overlapping it are counted, as
    // possible when they reach outside it.
    let from = query.from.as_ref().and_then(|d| d.earliest());
    let to = query.to.as_ref().and_then(|d| d.latest());
    let filter = compile(&query, record)?;
    // The matrix lists each cell's events in timeline order; the panels
    // only count, in any order, so they skip the sort.
    let events: Vec<&annals::model::Event> = if args.chart_type == TypeArg::Matrix {
        select(record, &filter)
    } else {
        record.events.iter().filter(|e| filter.matches(e)).collect()
    };
    let fold = fold_targets(&query, record);
    let opts = Options {
        bin: args.bin,
        title: args.title.clone(),
        width: geometry.width,
        height: geometry.height,
        mm_per_px: geometry.mm_per_px,
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
        let by = args.by.unwrap_or(By::Kind);
        (
            multiples::render(record, &events, &opts, by, &fold),
            "charts/multiples.svg",
        )
    };
    emit(ctx, args, geometry, chart, default, events.len())
}
