//! `annals chart`

use super::common::{compile, load_clean};
use super::filters::FilterArgs;
use super::{Context, EXIT_OK, EXIT_USAGE, usage_error};
use annals::chart::{self, Bin, ChartType, LaneBy, Options};
use annals::query::select;
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// The chart: a timeline of lanes, or a histogram of events per bin.
    #[arg(long = "type", value_enum, default_value_t = TypeArg::Timeline)]
    pub chart_type: TypeArg,

    /// Timeline lanes (default: actor), or histogram stacks (default: kind).
    #[arg(long, value_enum)]
    pub lanes: Option<LanesArg>,

    /// Histogram bins (default: month); also the bins of crowded timeline
    /// lanes (default: chosen from the span).
    #[arg(long, value_enum)]
    pub bin: Option<BinArg>,

    /// The chart's title.
    #[arg(long, value_name = "T")]
    pub title: Option<String>,

    /// Width in pixels.
    #[arg(long, value_name = "W", default_value_t = 1200,
          value_parser = clap::value_parser!(u32).range(320..=20000))]
    pub width: u32,

    /// Height in pixels (default: what the content needs).
    #[arg(long, value_name = "H", value_parser = clap::value_parser!(u32).range(120..=100000))]
    pub height: Option<u32>,

    /// Draw `responds-to` and `follows` relations as arrows.
    #[arg(long)]
    pub relations: bool,

    /// Small multiples: one panel per kind, actor or country (default: kind).
    #[arg(long, value_enum)]
    pub by: Option<super::chart_counts::ByArg>,

    /// Where to write the SVG; `-` for stdout.
    /// [default: charts/timeline.svg, or charts/histogram.svg]
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    Timeline,
    Histogram,
    /// Initiator × target counts, certain–possible (issue 16).
    Matrix,
    /// One small panel per group: certain line, possible band (issue 16).
    Multiples,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LanesArg {
    Actor,
    Kind,
    Country,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BinArg {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

pub fn run(ctx: &Context, args: &Args) -> i32 {
    let mut query = match args.filters.to_query() {
        Ok(q) => q,
        Err(e) => return usage_error(e),
    };
    if matches!(args.chart_type, TypeArg::Matrix | TypeArg::Multiples) {
        return super::chart_counts::run(ctx, args, query);
    }
    let checked = match load_clean(ctx) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let record = &checked.record;
    // --from/--to set the window. Without --within, events outside it are
    // still selected, so the chart can count them at the lanes' edges.
    let from = query.from.as_ref().and_then(|d| d.earliest());
    let to = query.to.as_ref().and_then(|d| d.latest());
    if !query.within {
        query.from = None;
        query.to = None;
    }
    let filter = match compile(&query, record) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let events = select(record, &filter);
    let opts = Options {
        chart: match args.chart_type {
            TypeArg::Histogram => ChartType::Histogram,
            _ => ChartType::Timeline,
        },
        lanes: args.lanes.map(|l| match l {
            LanesArg::Actor => LaneBy::Actor,
            LanesArg::Kind => LaneBy::Kind,
            LanesArg::Country => LaneBy::Country,
            LanesArg::None => LaneBy::None,
        }),
        bin: args.bin.map(|b| match b {
            BinArg::Day => Bin::Day,
            BinArg::Week => Bin::Week,
            BinArg::Month => Bin::Month,
            BinArg::Quarter => Bin::Quarter,
            BinArg::Year => Bin::Year,
        }),
        title: args.title.clone(),
        width: args.width,
        height: args.height,
        relations: args.relations,
        from,
        to,
    };
    let chart = chart::render(record, &events, &opts);
    let default = match args.chart_type {
        TypeArg::Timeline => "charts/timeline.svg",
        _ => "charts/histogram.svg",
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(default));
    if out.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        if stdout
            .write_all(chart.svg.as_bytes())
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return EXIT_USAGE;
        }
        return EXIT_OK;
    }
    match write_atomic(&out, chart.svg.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(e) => usage_error(format_args!("cannot write `{}`: {e}", out.display())),
    }
}

/// Writes `bytes` to a temporary file next to `path`, syncs it, and renames
/// it over `path`, so readers see the old chart or the new one, never half.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "chart".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
