//! The time axis: days to pixels, calendar bins, and ticks that adapt to
//! the span (days, weeks, months, quarters or years).

use crate::chart::text;
use crate::keyword::keyword_enum;
use chrono::{Datelike, Months, NaiveDate};

/// Maps calendar days to x pixels. A day is a span: it starts at
/// [`TimeScale::x`] and ends at [`TimeScale::x_end`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeScale {
    /// The first day shown.
    pub start: NaiveDate,
    /// The last day shown (inclusive).
    pub end: NaiveDate,
    pub x0: f64,
    pub x1: f64,
}

impl TimeScale {
    /// A scale over `start..=end` (swapped if given backwards) drawn from
    /// `x0` to `x1`.
    pub fn new(start: NaiveDate, end: NaiveDate, x0: f64, x1: f64) -> TimeScale {
        let (start, end) = if end < start {
            (end, start)
        } else {
            (start, end)
        };
        TimeScale {
            start,
            end,
            x0,
            x1: x1.max(x0 + 1.0),
        }
    }

    /// Days shown, at least 1.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    pub fn px_per_day(&self) -> f64 {
        (self.x1 - self.x0) / self.days() as f64
    }

    /// Where day `d` begins.
    pub fn x(&self, d: NaiveDate) -> f64 {
        self.x0 + (d - self.start).num_days() as f64 * self.px_per_day()
    }

    /// Where day `d` ends.
    pub fn x_end(&self, d: NaiveDate) -> f64 {
        self.x(d) + self.px_per_day()
    }

    /// The middle of day `d`.
    pub fn x_mid(&self, d: NaiveDate) -> f64 {
        self.x(d) + self.px_per_day() / 2.0
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

keyword_enum!(
    /// A calendar bin for counting events.
    Bin ("bin") {
        Day = "day",
        /// Monday to Sunday.
        Week = "week",
        Month = "month",
        Quarter = "quarter",
        Year = "year",
    }
);

impl Bin {
    /// The first day of the bin holding `d`.
    pub fn start_of(self, d: NaiveDate) -> NaiveDate {
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d);
        match self {
            Bin::Day => d,
            Bin::Week => d
                .checked_sub_days(chrono::Days::new(u64::from(
                    d.weekday().num_days_from_monday(),
                )))
                .unwrap_or(d),
            Bin::Month => first(d.year(), d.month()),
            Bin::Quarter => first(d.year(), (d.month0() / 3) * 3 + 1),
            Bin::Year => first(d.year(), 1),
        }
    }

    /// The first day of the next bin, if the calendar has one.
    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Bin::Day => start.succ_opt(),
            Bin::Week => start.checked_add_days(chrono::Days::new(7)),
            Bin::Month => start.checked_add_months(Months::new(1)),
            Bin::Quarter => start.checked_add_months(Months::new(3)),
            Bin::Year => start.checked_add_months(Months::new(12)),
        }
    }

    /// The last day of the bin starting at `start`.
    pub fn last_day(self, start: NaiveDate) -> NaiveDate {
        self.next(start)
            .and_then(|n| n.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// "week", "month", ...
    pub fn noun(self) -> &'static str {
        match self {
            Bin::Day => "day",
            Bin::Week => "week",
            Bin::Month => "month",
            Bin::Quarter => "quarter",
            Bin::Year => "year",
        }
    }

    /// What the bin starting at `start` is called: `6 Jan 2024`,
    /// `week of 1 Jan 2024`, `Jan 2024`, `Q1 2024`, `2024`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Bin::Day => day_label(start, true),
            Bin::Week => format!("week of {}", day_label(start, true)),
            Bin::Month => format!("{} {}", month_name(start), start.year()),
            Bin::Quarter => format!("Q{} {}", start.month0() / 3 + 1, start.year()),
            Bin::Year => start.year().to_string(),
        }
    }

    /// A short label for an axis, given the previous bin's start: the year
    /// is shown only where it changes.
    pub fn short_label(self, start: NaiveDate, prev: Option<NaiveDate>) -> String {
        let new_year = prev.is_none_or(|p| p.year() != start.year());
        match self {
            Bin::Day | Bin::Week => day_label(start, new_year),
            Bin::Month if new_year => format!("{} {}", month_name(start), start.year()),
            Bin::Month => month_name(start).to_string(),
            Bin::Quarter if new_year => format!("Q{} {}", start.month0() / 3 + 1, start.year()),
            Bin::Quarter => format!("Q{}", start.month0() / 3 + 1),
            Bin::Year => start.year().to_string(),
        }
    }

    /// A bin that cuts `days` days into roughly 30 to 150 bins.
    pub fn auto(days: i64) -> Bin {
        match days {
            ..=150 => Bin::Day,
            151..=1000 => Bin::Week,
            1001..=4500 => Bin::Month,
            4501..=13000 => Bin::Quarter,
            _ => Bin::Year,
        }
    }

    /// The starts of every bin that meets `start..=end`, at most `limit`.
    /// The next coarser bin (a year stays a year).
    pub fn coarser(self) -> Bin {
        match self {
            Bin::Day => Bin::Week,
            Bin::Week => Bin::Month,
            Bin::Month => Bin::Quarter,
            Bin::Quarter | Bin::Year => Bin::Year,
        }
    }

    pub fn starts(self, start: NaiveDate, end: NaiveDate, limit: usize) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut b = self.start_of(start);
        while b <= end && out.len() < limit {
            out.push(b);
            match self.next(b) {
                Some(n) => b = n,
                None => break,
            }
        }
        out
    }
}

fn month_name(d: NaiveDate) -> &'static str {
    crate::date::MONTH_ABBREVS[d.month0() as usize]
}

fn day_label(d: NaiveDate, with_year: bool) -> String {
    if with_year {
        format!("{} {} {}", d.day(), month_name(d), d.year())
    } else {
        format!("{} {}", d.day(), month_name(d))
    }
}

/// A tick on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub date: NaiveDate,
    pub x: f64,
    pub label: String,
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Days(i64),
    Weeks(i64),
    Months(u32),
    Years(i32),
}

impl Step {
    fn approx_days(self) -> f64 {
        match self {
            Step::Days(n) => n as f64,
            Step::Weeks(n) => 7.0 * n as f64,
            Step::Months(n) => 30.44 * f64::from(n),
            Step::Years(n) => 365.25 * f64::from(n),
        }
    }

    fn dates(self, start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut d = match self {
            Step::Days(_) | Step::Weeks(_) => start,
            Step::Months(_) => Bin::Month.start_of(start),
            Step::Years(_) => Bin::Year.start_of(start),
        };
        while d <= end && out.len() <= 5000 {
            let keep = match self {
                Step::Days(n) => d.num_days_from_ce().rem_euclid(n as i32) == 0,
                // Mondays; day 1 of the common era was a Monday.
                Step::Weeks(n) => {
                    let ce = i64::from(d.num_days_from_ce()) - 1;
                    ce.rem_euclid(7) == 0 && (ce / 7).rem_euclid(n) == 0
                }
                Step::Months(n) => d.month0() % n == 0,
                Step::Years(n) => d.year().rem_euclid(n) == 0,
            };
            if keep && d >= start {
                out.push(d);
            }
            let next = match self {
                Step::Days(_) | Step::Weeks(_) => d.succ_opt(),
                Step::Months(_) => d.checked_add_months(Months::new(1)),
                Step::Years(_) => d.checked_add_months(Months::new(12)),
            };
            match next {
                Some(n) => d = n,
                None => break,
            }
        }
        out
    }

    fn labels(self, dates: &[NaiveDate]) -> Vec<String> {
        let mut prev: Option<NaiveDate> = None;
        dates
            .iter()
            .map(|&d| {
                let new_year = prev.is_none_or(|p| p.year() != d.year());
                prev = Some(d);
                match self {
                    Step::Days(_) | Step::Weeks(_) => day_label(d, new_year),
                    Step::Months(_) if new_year => format!("{} {}", month_name(d), d.year()),
                    Step::Months(_) => month_name(d).to_string(),
                    Step::Years(_) => d.year().to_string(),
                }
            })
            .collect()
    }
}

const STEPS: [Step; 20] = [
    Step::Days(1),
    Step::Days(2),
    Step::Weeks(1),
    Step::Weeks(2),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
    Step::Years(200),
    Step::Years(500),
    Step::Years(1000),
    Step::Years(2000),
    Step::Years(5000),
];

/// Major ticks at least this far apart, so a paper figure stays calm: 25 mm
/// at the default print size (17 cm, 688 layout pixels), where 110 pixels
/// left the sample's four-and-a-half-month window with two month names.
const MIN_SPACING: f64 = 100.0;

/// Ticks for `scale`, with labels of `font_size` pixels that neither
/// overlap each other nor leave `0..=canvas_width`: the finest step whose
/// ticks are [`MIN_SPACING`] apart and whose labels fit, at least two ticks
/// when any step gives two.
pub fn ticks(scale: &TimeScale, font_size: f64, canvas_width: f64) -> Vec<Tick> {
    major(scale, font_size, canvas_width).1
}

fn major(scale: &TimeScale, font_size: f64, canvas_width: f64) -> (Option<usize>, Vec<Tick>) {
    let span = (scale.x1 - scale.x0).max(1.0);
    let days = scale.days() as f64;
    let spaced = |step: Step| span * step.approx_days() / days >= MIN_SPACING;
    let label = |step: Step, dates: &[NaiveDate]| step.labels(dates);
    fitting(
        (scale.start, scale.end),
        spaced,
        |d| scale.x(d),
        label,
        font_size,
        canvas_width,
    )
}

/// Ticks on calendar boundaries from `start` to `end` (days, Mondays,
/// months counted from January, years), for an axis that places a day with
/// `x_of`: the finest step of at least `min_days` days whose labels (from
/// `label`, given the step's dates) fit side by side within
/// `0..=canvas_width`. Months come in 1, 2, 3 or 6, so January always gets
/// a tick when a month does.
pub fn aligned_ticks(
    (start, end): (NaiveDate, NaiveDate),
    min_days: f64,
    x_of: impl Fn(NaiveDate) -> f64,
    label: impl Fn(&[NaiveDate]) -> Vec<String>,
    font_size: f64,
    canvas_width: f64,
) -> Vec<Tick> {
    fitting(
        (start, end),
        |s: Step| s.approx_days() >= min_days * 0.99,
        x_of,
        |_, dates: &[NaiveDate]| label(dates),
        font_size,
        canvas_width,
    )
    .1
}

fn fitting(
    (start, end): (NaiveDate, NaiveDate),
    wanted: impl Fn(Step) -> bool,
    x_of: impl Fn(NaiveDate) -> f64,
    label: impl Fn(Step, &[NaiveDate]) -> Vec<String>,
    font_size: f64,
    canvas_width: f64,
) -> (Option<usize>, Vec<Tick>) {
    let mut best: Option<(usize, Vec<Tick>)> = None;
    for (si, step) in STEPS.into_iter().enumerate() {
        if !wanted(step) {
            continue;
        }
        let dates = step.dates(start, end);
        let labels = label(step, &dates);
        let ticks: Vec<Tick> = dates
            .iter()
            .zip(labels)
            .map(|(&d, label)| Tick {
                date: d,
                x: x_of(d),
                label,
            })
            .collect();
        let fits = ticks.windows(2).all(|w| {
            let a = w[0].x + text::width(&w[0].label, font_size, false) / 2.0;
            let b = w[1].x - text::width(&w[1].label, font_size, false) / 2.0;
            a + 10.0 <= b
        }) && ticks.iter().all(|t| {
            let half = text::width(&t.label, font_size, false) / 2.0;
            t.x - half >= 0.0 && t.x + half <= canvas_width
        });
        if fits {
            if ticks.len() >= 2 {
                return (Some(si), ticks);
            }
            if best.is_none() {
                best = Some((si, ticks));
            }
        }
    }
    match best {
        Some((si, t)) => (Some(si), t),
        None => (None, Vec::new()),
    }
}

/// Unlabelled ticks between the major ones: the next natural unit down
/// (weeks under months, months under years, ...), when at least 6 pixels
/// apart.
pub fn minor_ticks(scale: &TimeScale, font_size: f64, canvas_width: f64) -> Vec<f64> {
    let (Some(si), _) = major(scale, font_size, canvas_width) else {
        return Vec::new();
    };
    let natural = [
        Step::Days(1),
        Step::Weeks(1),
        Step::Months(1),
        Step::Months(3),
        Step::Years(1),
        Step::Years(10),
        Step::Years(100),
        Step::Years(1000),
    ];
    let major_days = STEPS[si].approx_days();
    let Some(step) = natural
        .into_iter()
        .rfind(|s| s.approx_days() < major_days * 0.99)
    else {
        return Vec::new();
    };
    let spacing = (scale.x1 - scale.x0) * step.approx_days() / scale.days() as f64;
    if spacing < 6.0 {
        return Vec::new();
    }
    // Weeks do not start on the 1st: a week line a day or two from a month
    // line reads as a misdrawn month line, so minors that close to a major
    // are left out.
    let majors: Vec<f64> = ticks(scale, font_size, canvas_width)
        .iter()
        .map(|t| t.x)
        .collect();
    step.dates(scale.start, scale.end)
        .into_iter()
        .map(|d| scale.x(d))
        .filter(|x| majors.iter().all(|m| (m - x).abs() >= spacing * 0.45))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Issue 15, item 12: no week line sits a day or two off a month line.
    #[test]
    fn week_lines_keep_clear_of_month_lines() {
        let s = TimeScale::new(d("2023-12-01"), d("2024-04-13"), 100.0, 1300.0);
        let majors: Vec<f64> = ticks(&s, 11.0, 1400.0).iter().map(|t| t.x).collect();
        let minors = minor_ticks(&s, 11.0, 1400.0);
        assert!(
            majors.len() >= 4 && minors.len() >= 10,
            "{majors:?} {minors:?}"
        );
        let week = (s.x1 - s.x0) * 7.0 / s.days() as f64;
        for m in &minors {
            for j in &majors {
                let gap = (m - j).abs();
                assert!(gap >= week * 0.45, "a week line {gap} px from a month line");
            }
        }
    }

    fn labels(from: &str, to: &str, w: f64) -> Vec<String> {
        let s = TimeScale::new(d(from), d(to), 100.0, 100.0 + w);
        ticks(&s, 11.0, 200.0 + w)
            .into_iter()
            .map(|t| t.label)
            .collect()
    }

    #[test]
    fn ticks_adapt_to_the_span() {
        assert_eq!(
            labels("2024-01-01", "2024-01-05", 800.0),
            ["1 Jan 2024", "2 Jan", "3 Jan", "4 Jan", "5 Jan"]
        );
        assert_eq!(
            labels("2023-12-01", "2024-04-30", 900.0),
            ["Dec 2023", "Jan 2024", "Feb", "Mar", "Apr"]
        );
        // The sample's window on the axis of a 17 cm chart: month names.
        assert_eq!(
            labels("2023-12-01", "2024-04-13", 472.0),
            ["Dec 2023", "Jan 2024", "Feb", "Mar", "Apr"]
        );
        let months = labels("2023-12-01", "2024-04-30", 900.0);
        assert!(months.len() >= 5, "{months:?}");
        assert!(months.contains(&"Jan 2024".to_string()), "{months:?}");
        let years = labels("2011-01-01", "2024-12-31", 900.0);
        assert!(years.contains(&"2011".to_string()) || years.contains(&"2012".to_string()));
        assert!(years.iter().all(|y| y.parse::<i32>().is_ok()), "{years:?}");
        let long = labels("-9999-01-01", "9999-12-31", 900.0);
        assert!(long.len() >= 2, "{long:?}");
    }

    #[test]
    fn one_day_and_narrow_scales_do_not_panic() {
        let s = TimeScale::new(d("2024-01-01"), d("2024-01-01"), 0.0, 0.0);
        assert_eq!(s.days(), 1);
        let _ = ticks(&s, 11.0, 10.0);
    }

    #[test]
    fn bins_follow_the_calendar() {
        assert_eq!(Bin::Week.start_of(d("2024-01-07")), d("2024-01-01"));
        assert_eq!(Bin::Quarter.start_of(d("2024-05-07")), d("2024-04-01"));
        assert_eq!(Bin::Month.last_day(d("2024-02-01")), d("2024-02-29"));
        assert_eq!(Bin::Quarter.label(d("2024-04-01")), "Q2 2024");
        assert_eq!(
            Bin::Month.starts(d("2023-12-15"), d("2024-02-01"), 100),
            [d("2023-12-01"), d("2024-01-01"), d("2024-02-01")]
        );
    }
}
