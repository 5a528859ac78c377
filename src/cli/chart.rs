//! `annals chart`

use super::common::{compile, load_clean};
use super::error::write_error;
use super::filters::FilterArgs;
use super::keyword::{keyword, keyword_of};
use super::output::{print_bytes, say_wrote, write_output};
use super::{CommandError, CommandResult, Context};
use annals::chart::export::{self, Format};
use annals::chart::{self, Bin, ChartType, LaneBy, Options, size};
use annals::count::groups::By;
use annals::model::Role;
use annals::query::{ActorNames, select};
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// The chart: a timeline of lanes, or a histogram of events per bin.
    #[arg(long = "type", value_enum, default_value_t = TypeArg::Timeline)]
    pub chart_type: TypeArg,

    /// Timeline lanes (default: actor), or histogram stacks (default: kind).
    #[arg(long, value_parser = keyword::<LaneBy>())]
    pub lanes: Option<LaneBy>,

    /// The roles that put an event in an actor's lane, such as
    /// `initiator,target`, or `all` (default: initiator; an event without
    /// one goes in all its actors' lanes).
    #[arg(
        long = "roles",
        id = "lane_roles",
        value_name = "ROLES",
        value_delimiter = ','
    )]
    pub lane_roles: Vec<String>,

    /// Histogram bins (default: month); also the bins of crowded timeline
    /// lanes (default: chosen from the span).
    #[arg(long, value_parser = keyword::<Bin>())]
    pub bin: Option<Bin>,

    /// The chart's title.
    #[arg(long, value_name = "T")]
    pub title: Option<String>,

    /// Print size: `17cm`, `17cmx12cm`, `x12cm`, `6.5in`, `170mm` or
    /// `1200px`. Text, markers and strokes are sized for it, so that the
    /// smallest text prints at --font-size. A height less than the chart
    /// needs is refused; more is trimmed. [default: 17cm]
    #[arg(long, value_name = "WxH", conflicts_with = "width")]
    pub size: Option<String>,

    /// The size the smallest text prints at: `7pt`, `2.5mm`.
    #[arg(long, value_name = "PT", default_value = "7pt")]
    pub font_size: String,

    /// PNG resolution, in dots per inch of the print size.
    #[arg(long, value_name = "DPI", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(10..=2400))]
    pub dpi: u32,

    /// Layout width in screen pixels, instead of a print size (the SVG
    /// is then in plain pixels).
    #[arg(long, value_name = "W", conflicts_with_all = ["size", "font_size"],
          value_parser = clap::value_parser!(u32).range(320..=20000))]
    pub width: Option<u32>,

    /// Height in screen pixels, with --width (default: what the content needs).
    #[arg(long, value_name = "H", requires = "width",
          value_parser = clap::value_parser!(u32).range(120..=100000))]
    pub height: Option<u32>,

    /// The output format [default: from the file name: .pdf, .png, else SVG]
    #[arg(long, value_parser = keyword::<Format>())]
    pub format: Option<Format>,

    /// Density lanes on one scale shared by all (to compare lanes), or
    /// each on its own.
    #[arg(long, value_enum, default_value_t = ScaleArg::Shared)]
    pub scale: ScaleArg,

    /// Draw `responds-to` and `follows` relations as arrows.
    #[arg(long)]
    pub relations: bool,

    /// Small multiples: one panel per kind, actor or country (default: kind).
    #[arg(long, value_parser = keyword_of::<By>(&["kind", "actor", "country"]))]
    pub by: Option<By>,

    /// Where to write the chart; `-` for stdout. A relative path is
    /// relative to the current directory, not to --dir.
    /// [default: charts/timeline.svg, or charts/histogram.svg, in the
    /// current directory, the folder created if missing]
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
pub enum ScaleArg {
    Shared,
    Lane,
}

/// The layout width, the height asked for (layout pixels) and the size of a
/// layout pixel on paper, from --size/--font-size or --width/--height.
pub(super) struct Geometry {
    pub(super) width: u32,
    pub(super) height: Option<u32>,
    pub(super) mm_per_px: Option<f64>,
    /// The unit the height was asked in, for messages.
    unit: size::Unit,
}

pub(super) fn geometry(args: &Args) -> Result<Geometry, String> {
    if let Some(width) = args.width {
        return Ok(Geometry {
            width,
            height: args.height,
            mm_per_px: None,
            unit: size::Unit::Px,
        });
    }
    let (w, h) = match &args.size {
        Some(s) => size::parse_size(s).map_err(|e| format!("--size: {e}"))?,
        None => (None, None),
    };
    let w = w.unwrap_or(size::Length {
        value: 17.0,
        unit: size::Unit::Cm,
    });
    let font = size::parse_length(&args.font_size).map_err(|e| format!("--font-size: {e}"))?;
    let print = size::Print::new(w, font).ok_or_else(|| {
        format!("--size {w} with --font-size {font}: the text would be too large or too small for the width")
    })?;
    Ok(Geometry {
        width: print.width_px,
        height: h.map(|h| print.px(h).round().min(f64::from(u32::MAX)) as u32),
        mm_per_px: Some(print.mm_per_px),
        unit: h.map_or(w.unit, |h| h.unit),
    })
}

pub fn run(ctx: &Context, args: &Args) -> CommandResult {
    let geometry = geometry(args).map_err(CommandError::usage)?;
    let mut query = args.filters.to_query().map_err(CommandError::usage)?;
    if matches!(args.chart_type, TypeArg::Matrix | TypeArg::Multiples) {
        return super::chart_counts::run(ctx, args, query, &geometry);
    }
    let checked = load_clean(ctx)?;
    let record = &checked.record;
    // --from/--to set the window. Without --within, events outside it are
    // still selected, so the chart can count them at the lanes' edges.
    let from = query.from.as_ref().and_then(|d| d.earliest());
    let to = query.to.as_ref().and_then(|d| d.latest());
    if !query.within {
        query.from = None;
        query.to = None;
    }
    let filter = compile(&query, record)?;
    let events = select(record, &filter);
    // By default an event is drawn in its initiators' lanes only: in every
    // actor's lane, the sample's 26 events made 67 marks and a 65 cm chart.
    let lane_roles = match args.lane_roles.as_slice() {
        [] => vec!["initiator".to_string()],
        [all] if all.trim() == "all" => Vec::new(),
        r => r.to_vec(),
    };
    let roles = lane_roles
        .iter()
        .map(|r| {
            Role::parse(r.trim()).ok_or_else(|| {
                format!(
                    "--roles: `{r}` is not `all` or one of {}",
                    Role::NAMES.join(", ")
                )
            })
        })
        .collect::<Result<Vec<Role>, String>>()
        .map_err(CommandError::usage)?;
    // The actors the chart is filtered to get the first lanes.
    let names = ActorNames::new(record);
    let pinned = query
        .actors
        .iter()
        .filter_map(|a| names.resolve(a).ok())
        .map(|i| record.actors[i].id.to_string())
        .collect();
    let opts = Options {
        chart: match args.chart_type {
            TypeArg::Histogram => ChartType::Histogram,
            _ => ChartType::Timeline,
        },
        lanes: args.lanes,
        bin: args.bin,
        title: args.title.clone(),
        width: geometry.width,
        height: geometry.height,
        mm_per_px: geometry.mm_per_px,
        relations: args.relations,
        from,
        to,
        statuses: query.statuses.clone(),
        pinned,
        roles,
        density_per_lane: args.scale == ScaleArg::Lane,
    };
    let chart = chart::render(record, &events, &opts);
    let default = match args.chart_type {
        TypeArg::Timeline => "charts/timeline.svg",
        _ => "charts/histogram.svg",
    };
    emit(ctx, args, &geometry, chart, default, events.len())
}

/// Checks the height asked for against what `chart` needs, prints its
/// warnings, and writes it in the format asked for (by --format or the
/// file name) to -o, else to `default`.
pub(super) fn emit(
    ctx: &Context,
    args: &Args,
    geometry: &Geometry,
    chart: chart::Chart,
    default: &str,
    events: usize,
) -> CommandResult {
    if let Some(h) = geometry.height {
        let needed = chart.layout.height;
        let in_unit = |px: u32| match geometry.mm_per_px {
            Some(mm) => size::Length::from_mm(f64::from(px) * mm, geometry.unit).to_string(),
            None => format!("{px}px"),
        };
        if h < needed {
            return Err(CommandError::usage(format_args!(
                "the chart needs a height of at least {} at this width and font size; \
                 ask for that or more, or leave the height out",
                in_unit(needed)
            )));
        }
        if h > needed {
            eprintln!(
                "annals chart: the chart needs a height of only {} of the {} asked for; \
                 its page is trimmed to that",
                in_unit(needed),
                in_unit(h)
            );
        }
    }
    for w in &chart.warnings {
        eprintln!("annals chart: {w}");
    }
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(default));
    let format = args.format.unwrap_or_else(|| Format::from_path(&out));
    let bytes = match format {
        Format::Svg => Ok(chart.svg.into_bytes()),
        Format::Pdf => export::pdf(&chart.svg),
        Format::Png => export::png(&chart.svg, f64::from(args.dpi)),
    };
    let bytes = bytes.map_err(CommandError::usage)?;
    if out.as_os_str() == "-" {
        return print_bytes(&bytes);
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| write_error(&out, &e))?;
    }
    write_output(&out, &bytes).map_err(|e| write_error(&out, &e))?;
    let lanes = chart.layout.lanes.len();
    let mut counts = vec![(events, "event")];
    if lanes > 0 {
        counts.push((lanes, "lane"));
    }
    say_wrote(ctx, &out, &counts);
    Ok(())
}
