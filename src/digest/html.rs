//! The digest as one self-contained HTML file: inline CSS, inline SVG sparklines, no
//! script. Every piece of feed text is HTML-escaped, links are only http(s) and carry
//! `rel="noopener noreferrer"`, and a Content-Security-Policy forbids scripts, remote
//! loads and inline event handlers even if something slipped through.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::model::{DigestData, Story, Trend};

const CSS: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #d0d7de;margin-top:2rem;padding-bottom:.2rem}\
h3{font-size:1rem;margin:1.2rem 0 .2rem}.meta{color:#57606a;font-size:.9rem}.sev{font-size:.75rem;padding:.1rem .4rem;border-radius:.6rem;margin-left:.4rem;vertical-align:middle}\
.critical{background:#ffebe9;color:#cf222e}.warning{background:#fff8c5;color:#9a6700}.info{background:#ddf4ff;color:#0969da}\
blockquote{margin:.4rem 0;padding-left:.8rem;border-left:3px solid #d0d7de;color:#424a53}table{border-collapse:collapse}\
td,th{padding:.2rem .6rem;text-align:left}svg{vertical-align:middle}.chip{display:inline-block;background:#f6f8fa;border-radius:.4rem;padding:0 .35rem;margin:0 .15rem .15rem 0;font-size:.85rem}";

/// Renders the digest as HTML.
pub fn render(d: &DigestData, tz: &chrono_tz::Tz) -> String {
    let local =
        |t: chrono::DateTime<chrono::Utc>| t.with_timezone(tz).format("%d %b %H:%M").to_string();
    let mut out = String::new();
    let title = format!("wirewatch digest — {}", d.window.day);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body>\n<h1>{}</h1>\n",
        text(&title),
        text(&title)
    );
    let stories: usize = d.rules.iter().map(|r| r.stories.len()).sum();
    let _ = writeln!(
        out,
        "<p class=\"meta\">Items first seen from {} to {} ({}): <b>{}</b> new items, <b>{}</b> stories matched rules; {} of {} feeds had errors.</p>",
        text(&local(d.window.from)),
        text(&local(d.window.to)),
        text(&d.timezone),
        d.items,
        stories,
        d.feeds_failing,
        d.feeds
    );
    out.push_str("<h2>What changed</h2>\n<table>\n");
    if d.rules.is_empty() {
        out.push_str("<tr><td>No rule matched in this period.</td></tr>\n");
    }
    for rule in d.rules.iter().take(5) {
        let _ = writeln!(
            out,
            "<tr><td><b>{}</b></td><td>{} stor{}</td><td>{}</td></tr>",
            text(&rule.name),
            rule.stories.len(),
            if rule.stories.len() == 1 { "y" } else { "ies" },
            sparkline(&rule.history, &format!("{} stories per day", rule.name))
        );
    }
    for t in d.rising_actors.iter().chain(&d.rising_pairs) {
        let _ = writeln!(
            out,
            "<tr><td>{} ↑</td><td>{} mentions (week average {:.1})</td><td>{}</td></tr>",
            text(&t.label),
            t.today,
            t.average,
            sparkline(&t.history, &format!("{} mentions per day", t.label))
        );
    }
    out.push_str("</table>\n");
    for rule in &d.rules {
        let _ = writeln!(
            out,
            "<h2>{}<span class=\"sev {}\">{}</span></h2>",
            text(&rule.name),
            severity_class(&rule.severity),
            text(&rule.severity)
        );
        for story in &rule.stories {
            push_story(&mut out, story, &local);
        }
    }
    if !d.notable.is_empty() {
        out.push_str("<h2>Notable stories no rule caught</h2>\n");
        for story in &d.notable {
            push_story(&mut out, story, &local);
        }
    }
    if !d.top_actors.is_empty() {
        out.push_str("<h2>Most mentioned actors</h2>\n<table><tr><th>actor</th><th>mentions</th><th>week average</th><th>last 14 days</th></tr>\n");
        for t in &d.top_actors {
            push_trend(&mut out, t);
        }
        out.push_str("</table>\n");
    }
    out.push_str("<p class=\"meta\">Written by wirewatch.</p>\n</body></html>\n");
    out
}

fn severity_class(severity: &str) -> &'static str {
    match severity {
        "critical" => "critical",
        "warning" => "warning",
        _ => "info",
    }
}

fn push_story(
    out: &mut String,
    s: &Story,
    local: &impl Fn(chrono::DateTime<chrono::Utc>) -> String,
) {
    match &s.link {
        Some(link) => {
            let _ = writeln!(
                out,
                "<h3><a href=\"{}\" rel=\"noopener noreferrer\">{}</a></h3>",
                attr(link),
                text(&s.title)
            );
        }
        None => {
            let _ = writeln!(out, "<h3>{}</h3>", text(&s.title));
        }
    }
    let sources: Vec<String> = s.sources.iter().map(|f| text(f).to_string()).collect();
    let _ = write!(
        out,
        "<p class=\"meta\">{} source{}: {} · first seen {}",
        s.sources.len(),
        if s.sources.len() == 1 { "" } else { "s" },
        sources.join(", "),
        text(&local(s.first_seen))
    );
    for actor in &s.actors {
        let _ = write!(out, " <span class=\"chip\">{}</span>", text(actor));
    }
    for topic in &s.topics {
        let _ = write!(out, " <span class=\"chip\">#{}</span>", text(topic));
    }
    out.push_str("</p>\n");
    if let Some(sentence) = &s.key_sentence {
        let _ = writeln!(out, "<blockquote>{}</blockquote>", text(sentence));
    }
}

fn push_trend(out: &mut String, t: &Trend) {
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td>{}</td><td>{:.1}</td><td>{}</td></tr>",
        text(&t.label),
        t.today,
        t.average,
        sparkline(&t.history, &format!("{} mentions per day", t.label))
    );
}

/// An inline SVG sparkline of daily values, the last (today) marked.
pub fn sparkline(values: &[u32], label: &str) -> String {
    const W: f64 = 140.0;
    const H: f64 = 26.0;
    if values.is_empty() {
        return String::new();
    }
    let max = f64::from(values.iter().copied().max().unwrap_or(0).max(1));
    let step = if values.len() > 1 {
        (W - 4.0) / (values.len() - 1) as f64
    } else {
        0.0
    };
    let point = |i: usize, v: u32| {
        (
            2.0 + step * i as f64,
            H - 3.0 - (H - 6.0) * f64::from(v) / max,
        )
    };
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let (x, y) = point(i, v);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let (lx, ly) = point(values.len() - 1, values[values.len() - 1]);
    format!(
        "<svg width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\"><title>{}</title>\
         <polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"{}\"/><circle cx=\"{lx:.1}\" cy=\"{ly:.1}\" r=\"2.5\" fill=\"#cf222e\"/></svg>",
        attr(label),
        text(label),
        points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_is_an_svg_polyline_with_escaped_label() {
        let svg = sparkline(&[0, 2, 1, 4], "a <b> & \"c\"");
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("aria-label=\"a &lt;b&gt; &amp; &quot;c&quot;\""));
        assert_eq!(svg.matches(',').count(), 4);
    }
}
