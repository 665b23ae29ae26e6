//! The command line: argument parsing (clap), logging setup, and one function per command.
//! Exit codes: 0 ok, 1 user error (bad config, bad input), 2 internal error.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{self, Config, LoadError};
use crate::extract::{Extraction, Extractor};
use crate::normalize;
use crate::rules::{self, ItemContext};

/// wirewatch: watches news feeds for what you care about, alerts you, and writes a daily digest.
#[derive(Debug, Parser)]
#[command(name = "wirewatch", version, about, long_about = None)]
pub struct Cli {
    /// Config file [default: $WIREWATCH_CONFIG, then $XDG_CONFIG_HOME/wirewatch/wirewatch.toml,
    /// then /etc/wirewatch/wirewatch.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Log format on standard error
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// More log output (-v: debug, -vv: trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Less log output (errors only)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The commands of DESIGN.md.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon: poll feeds, extract, match rules, alert, write digests
    Run {
        /// One pass over every feed, deliver alerts, then exit (cron, tests, demos)
        #[arg(long)]
        once: bool,
        /// With --once: also write the digest of the current day so far
        #[arg(long, requires = "once")]
        digest: bool,
    },
    /// Validate the config and every rule; report every error with file, line and column
    Check,
    /// Run the extraction pipeline on one document (plain text or HTML) and print the result
    Extract {
        /// Print the stable JSON form
        #[arg(long)]
        json: bool,
        /// A file, an http(s) URL, or - for standard input
        source: String,
    },
    /// Show, for one document, every rule's verdict and the evidence
    Explain {
        /// Only this rule
        #[arg(long, value_name = "NAME")]
        rule: Option<String>,
        /// A file, an http(s) URL, or - for standard input
        source: String,
    },
    /// Run one rule over the items already stored: what it would have fired on
    Backtest {
        /// The rule to try
        #[arg(long, value_name = "NAME")]
        rule: String,
        /// How far back to look (e.g. 30d, 12h)
        #[arg(long, value_name = "DURATION", default_value = "30d")]
        since: String,
    },
    /// Write (or rewrite) the digest for a day from the store
    Digest {
        /// The day [default: the digest being collected now]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
        /// Also email it as configured in [digest.email]
        #[arg(long)]
        email: bool,
    },
    /// Show every feed's polling status
    Status {
        /// A JSON list of objects instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Import or export the feed list as OPML
    #[command(subcommand)]
    Feeds(FeedsCommand),
}

/// `wirewatch feeds ...`
#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Print [[feed]] tables for the feeds of an OPML file
    Import { file: PathBuf },
    /// Print the configured feeds as OPML
    Export,
}

/// A command's failure, with the exit code it deserves.
#[derive(Debug)]
pub enum Failure {
    /// Bad config or bad input: exit 1.
    User(String),
    /// Our fault or the system's: exit 2.
    Internal(String),
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::User(e.to_string())
    }
}

impl From<crate::app::AppError> for Failure {
    fn from(e: crate::app::AppError) -> Self {
        Failure::Internal(e.to_string())
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(e: crate::store::StoreError) -> Self {
        Failure::Internal(e.to_string())
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::User(message)) => {
            eprintln!("{}", prefixed(&message));
            ExitCode::from(1)
        }
        Err(Failure::Internal(message)) => {
            eprintln!("{}", prefixed(&message));
            ExitCode::from(2)
        }
    }
}

fn prefixed(message: &str) -> String {
    if message.starts_with("error:") {
        message.to_string()
    } else {
        format!("error: {message}")
    }
}

fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "info",
        (false, 1) => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("WIREWATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("wirewatch={level},warn")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match cli.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let explicit = cli.config.as_deref();
    match cli.command {
        Command::Run { once, digest } => {
            let config = load(explicit)?;
            if once {
                run_once(&config, digest).await
            } else {
                run_daemon(config).await
            }
        }
        Command::Check => check(explicit),
        Command::Extract { json, source } => extract(explicit, &source, json).await,
        Command::Explain { rule, source } => explain(explicit, rule.as_deref(), &source).await,
        Command::Digest { date, email } => write_digest(explicit, date, email).await,
        Command::Backtest { rule, since } => backtest(explicit, &rule, &since),
        Command::Status { json } => status(explicit, json),
        Command::Feeds(FeedsCommand::Import { file }) => {
            let xml = std::fs::read_to_string(&file).map_err(|e| {
                Failure::User(format!(
                    "cannot read {}: {e}; check the path",
                    file.display()
                ))
            })?;
            let feeds = crate::opml::import(&xml)
                .map_err(|e| Failure::User(format!("{}: {e}", file.display())))?;
            print!("{}", crate::opml::to_toml(&feeds));
            eprintln!(
                "{} feeds; append these [[feed]] tables to your config",
                feeds.len()
            );
            Ok(())
        }
        Command::Feeds(FeedsCommand::Export) => {
            let config = load(explicit)?;
            let xml =
                crate::opml::export(&config.feeds).map_err(|e| Failure::Internal(e.to_string()))?;
            println!("{xml}");
            Ok(())
        }
    }
}

fn load(explicit: Option<&Path>) -> Result<Config, Failure> {
    let path = config::locate(explicit)?;
    Ok(Config::load(&path)?)
}

fn check(explicit: Option<&Path>) -> Result<(), Failure> {
    let config = load(explicit)?;
    println!(
        "{}: ok ({} feeds, {} rules, {} actors, {} topics)",
        config.path.display(),
        config.feeds.len(),
        config.rules.len(),
        config.extractor.gazetteer.actors.len(),
        config.extractor.lexicon.topics.len()
    );
    Ok(())
}

async fn run_once(config: &Config, digest: bool) -> Result<(), Failure> {
    let report = crate::app::run_once(config, digest).await?;
    let mut shown = std::collections::HashSet::new();
    for (_, alert) in &report.delivered {
        if shown.insert((alert.rule.clone(), alert.title.clone(), alert.feed.clone())) {
            println!("ALERT {}", alert.one_line());
            for sentence in &alert.evidence {
                println!("      > {sentence}");
            }
        }
    }
    for (feed, error) in &report.feed_errors {
        println!("FEED ERROR {feed}: {error}");
    }
    for (channel, error) in &report.delivery_errors {
        println!("DELIVERY ERROR {channel}: {error} (kept in the outbox for retry)");
    }
    println!(
        "polled {} feeds ({} failed): {} new items, {} updated, {} rule matches, {} alerts delivered",
        report.feeds_polled,
        report.feed_errors.len(),
        report.totals.new_items,
        report.totals.updated_items,
        report.totals.matches,
        report.delivered.len()
    );
    if let Some(path) = &report.digest {
        println!("digest written to {}", path.display());
    }
    Ok(())
}

async fn run_daemon(config: Config) -> Result<(), Failure> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    tokio::spawn(async move {
        wait_for_stop_signal().await;
        tracing::info!("stop requested, finishing current work");
        crate::service::stopping();
        flag.store(true, Ordering::SeqCst);
    });
    let (reload_tx, reload_rx) = tokio::sync::mpsc::unbounded_channel();
    crate::service::reload_on_sighup(reload_tx.clone());
    // Kept alive for the daemon's lifetime; without it, SIGHUP still reloads.
    let _watcher = match crate::service::reload_on_change(&config.path, reload_tx) {
        Ok(watcher) => Some(watcher),
        Err(e) => {
            tracing::warn!(error = %e, "cannot watch the config file; reload with SIGHUP");
            None
        }
    };
    crate::app::run_daemon(config, stop, reload_rx).await?;
    Ok(())
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The extractor to use: the config's when one is given or found, else the built-in one.
fn extractor_for(explicit: Option<&Path>) -> Result<Arc<Extractor>, Failure> {
    match config::locate(explicit) {
        Ok(path) => Ok(Config::load(&path)?.extractor),
        Err(LoadError::NotFound(_)) => Ok(Arc::new(Extractor::builtin().clone())),
        Err(e) => Err(e.into()),
    }
}

async fn read_source(source: &str) -> Result<String, Failure> {
    if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::User(format!("cannot read standard input: {e}")))?;
        return Ok(text);
    }
    if source.starts_with("http://") || source.starts_with("https://") {
        let fetcher = crate::fetch::Fetcher::new(&crate::config::Poll::default())
            .map_err(|e| Failure::Internal(e.to_string()))?;
        let request = crate::fetch::FetchRequest {
            url: source.to_string(),
            ..Default::default()
        };
        return match fetcher.fetch(&request).await {
            Ok(crate::fetch::Fetched::Body { bytes, .. }) => {
                Ok(String::from_utf8_lossy(&bytes).into_owned())
            }
            Ok(crate::fetch::Fetched::NotModified { .. }) => {
                Err(Failure::User(format!("{source} answered 304 Not Modified")))
            }
            Err(e) => Err(Failure::User(format!("cannot fetch {source}: {e}"))),
        };
    }
    let bytes = std::fs::read(source)
        .map_err(|e| Failure::User(format!("cannot read {source}: {e}; check the path")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

async fn extract(explicit: Option<&Path>, source: &str, json: bool) -> Result<(), Failure> {
    let extractor = extractor_for(explicit)?;
    let text = read_source(source).await?;
    let extraction = extractor.extract(&normalize::normalize(None, &text));
    if json {
        let out = serde_json::to_string_pretty(&extraction)
            .map_err(|e| Failure::Internal(e.to_string()))?;
        println!("{out}");
    } else {
        print!("{}", render_extraction(&extraction));
    }
    Ok(())
}

/// A readable summary of an extraction for terminals.
pub fn render_extraction(x: &Extraction) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "language: {}  sentences: {}\n",
        x.lang,
        x.sentences.len()
    ));
    out.push_str("\nactors:\n");
    for a in &x.actors {
        let forms: std::collections::BTreeSet<&str> =
            a.mentions.iter().map(|m| m.text.as_str()).collect();
        out.push_str(&format!(
            "  {:<10} {:<28} {:>3}×  ({})\n",
            a.id,
            a.name,
            a.count,
            forms.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    out.push_str("\npeople:\n");
    for p in &x.people {
        out.push_str(&format!(
            "  {:<24} {:>3}×  {}{}{}\n",
            p.name,
            p.count,
            p.role.as_deref().unwrap_or("-"),
            p.affiliation
                .as_deref()
                .map(|a| format!(" [{a}]"))
                .unwrap_or_default(),
            p.sector
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default()
        ));
    }
    out.push_str("\nplaces:\n");
    for p in &x.places {
        out.push_str(&format!(
            "  {} {}×{}\n",
            p.name,
            p.count,
            p.country
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ));
    }
    out.push_str("\ntopics:\n");
    for t in &x.topics {
        out.push_str(&format!(
            "  {:<22} {:.2}  evidence: {:?}\n",
            t.id, t.score, t.evidence
        ));
    }
    out.push_str("\nrelations:\n");
    for r in &x.relations {
        out.push_str(&format!(
            "  {} – {} {}{} (sentence {})\n",
            r.source,
            r.target,
            r.topic,
            if r.negated { " [negated]" } else { "" },
            r.sentence
        ));
    }
    out.push_str("\nquotes:\n");
    for q in &x.quotes {
        out.push_str(&format!("  {}: “{}”\n", q.speaker, q.text));
    }
    out
}

async fn explain(explicit: Option<&Path>, only: Option<&str>, source: &str) -> Result<(), Failure> {
    let config = load(explicit)?;
    if let Some(name) = only {
        if !config.rules.iter().any(|r| r.name == name) {
            return Err(Failure::User(format!(
                "no rule named `{name}` in {}",
                config.path.display()
            )));
        }
    }
    let text = read_source(source).await?;
    let extraction = config.extractor.extract(&normalize::normalize(None, &text));
    let context = ItemContext {
        extraction: &extraction,
        feed: "",
        tags: &[],
    };
    for rule in config
        .rules
        .iter()
        .filter(|r| only.is_none_or(|n| n == r.name))
    {
        let verdict = rules::evaluate(&rule.expr, &context);
        println!(
            "{} {}  ({})",
            if verdict.fired { "FIRED  " } else { "no     " },
            rule.name,
            rule.source
        );
        for term in rules::explain(&rule.expr, &context) {
            println!("    {} {}", if term.held { "✓" } else { "✗" }, term.term);
        }
        for &i in &verdict.evidence {
            println!("    > [{i}] {}", extraction.sentences[i]);
        }
    }
    Ok(())
}

fn backtest(explicit: Option<&Path>, name: &str, since: &str) -> Result<(), Failure> {
    let config = load(explicit)?;
    let rule = config
        .rules
        .iter()
        .find(|r| r.name == name)
        .ok_or_else(|| {
            Failure::User(format!(
                "no rule named `{name}` in {}",
                config.path.display()
            ))
        })?;
    let span = humantime::parse_duration(since).map_err(|e| {
        Failure::User(format!(
            "invalid --since `{since}`: {e}; use a duration like 30d or 12h"
        ))
    })?;
    let from = chrono::Utc::now() - chrono::Duration::from_std(span).unwrap_or_default();
    let store = crate::store::Store::open(&config.store_path)?;
    let show_progress = std::io::stderr().is_terminal();
    let report = crate::app::backtest::backtest(&config, &store, rule, from, |done, total| {
        if show_progress && (done % 50 == 0 || done == total) {
            eprint!("\r{}", progress_bar(done, total));
            if done == total {
                eprintln!();
            }
        }
    })?;
    for hit in &report.hits {
        println!(
            "{}  {}  {}{}",
            hit.item.first_seen.format("%Y-%m-%d %H:%M"),
            hit.item.feed,
            hit.item.title.as_deref().unwrap_or("(untitled)"),
            hit.item
                .link
                .as_deref()
                .map(|l| format!("  {l}"))
                .unwrap_or_default()
        );
        if let Some(evidence) = &hit.evidence {
            println!("      > {evidence}");
        }
    }
    println!(
        "rule `{}` would have fired on {} of {} items since {} ({} stories, so {} alerts)",
        rule.name,
        report.hits.len(),
        report.items_checked,
        from.format("%Y-%m-%d %H:%M UTC"),
        report.stories,
        report.stories
    );
    Ok(())
}

/// `[=========>          ] 450/1000`
fn progress_bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH)
        .min(WIDTH);
    format!(
        "[{}{}{}] {done}/{total}",
        "=".repeat(filled.saturating_sub(1)),
        if filled > 0 { ">" } else { "" },
        " ".repeat(WIDTH - filled)
    )
}

async fn write_digest(
    explicit: Option<&Path>,
    date: Option<chrono::NaiveDate>,
    email: bool,
) -> Result<(), Failure> {
    let config = load(explicit)?;
    let store = crate::store::Store::open(&config.store_path)?;
    let now = chrono::Utc::now();
    let window = match date {
        Some(day) => crate::digest::window_for(day, &config.digest),
        None => crate::digest::current_window(now, &config.digest),
    };
    let names = config.extractor.actor_names();
    let written = crate::digest::write_digest(&store, &config.digest, &names, window, now)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    println!(
        "digest written to {} and {}",
        written.markdown_path.display(),
        written.html_path.display()
    );
    if email {
        let settings = config.digest.email.as_ref().ok_or_else(|| {
            Failure::User(format!(
                "--email needs a [digest.email] table in {}",
                config.path.display()
            ))
        })?;
        crate::digest::email::send(settings, &written.subject, &written.markdown, &written.html)
            .await
            .map_err(|e| Failure::User(e.to_string()))?;
        let to: Vec<String> = settings.to.iter().map(ToString::to_string).collect();
        println!("digest emailed to {}", to.join(", "));
    }
    Ok(())
}

fn status(explicit: Option<&Path>, json: bool) -> Result<(), Failure> {
    let config = load(explicit)?;
    let store = crate::store::Store::open(&config.store_path)?;
    let statuses = store.statuses()?;
    if json {
        let out = serde_json::to_string_pretty(&statuses)
            .map_err(|e| Failure::Internal(e.to_string()))?;
        println!("{out}");
        return Ok(());
    }
    println!(
        "{:<28} {:>6} {:<25} {:>5}  {:<25} last error",
        "feed", "items", "last success", "fails", "next poll"
    );
    for s in statuses {
        println!(
            "{:<28} {:>6} {:<25} {:>5}  {:<25} {}",
            s.name,
            s.items,
            s.last_success.as_deref().unwrap_or("never"),
            s.consecutive_failures,
            s.next_poll.as_deref().unwrap_or("-"),
            s.last_error.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
