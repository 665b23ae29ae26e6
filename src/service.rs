//! Living under a service manager: systemd notifications (READY, STATUS, WATCHDOG,
//! STOPPING, RELOADING), and the reload triggers (SIGHUP and changes to the config file).
//!
//! Outside systemd (`NOTIFY_SOCKET` unset) every notification is a no-op.

use std::path::{Path, PathBuf};

use sd_notify::NotifyState;
use tokio::sync::mpsc::UnboundedSender;

/// Tells systemd the daemon is up.
pub fn ready(status: &str) {
    let _ = sd_notify::notify(&[NotifyState::Ready, NotifyState::Status(status)]);
}

/// Updates the one-line status `systemctl status` shows.
pub fn status(status: &str) {
    let _ = sd_notify::notify(&[NotifyState::Status(status)]);
}

/// Pets the watchdog (only when the unit has `WatchdogSec`).
pub fn watchdog() {
    if sd_notify::watchdog_enabled().is_some() {
        let _ = sd_notify::notify(&[NotifyState::Watchdog]);
    }
}

/// Tells systemd a reload has started; `ready` ends it.
pub fn reloading() {
    let _ = sd_notify::notify(&[NotifyState::Reloading]);
}

/// Tells systemd the daemon is shutting down.
pub fn stopping() {
    let _ = sd_notify::notify(&[NotifyState::Stopping]);
}

/// Sends a reload request on every SIGHUP.
pub fn reload_on_sighup(tx: UnboundedSender<()>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; reload by editing the config file instead");
            return;
        };
        while hup.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the config");
            if tx.send(()).is_err() {
                return;
            }
        }
    });
}

/// Watches the config file (through its directory, so editors that replace the file are
/// seen too) and sends a reload request when it changes. The watcher lives as long as the
/// returned value.
pub fn reload_on_change(
    path: &Path,
    tx: UnboundedSender<()>,
) -> Result<notify::RecommendedWatcher, notify::Error> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let file: PathBuf = path.file_name().map(PathBuf::from).unwrap_or_default();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let relevant = matches!(
            event.kind,
            EventKind::Modify(_) | EventKind::Create(_) | EventKind::Remove(_)
        ) && event
            .paths
            .iter()
            .any(|p| p.file_name() == Some(file.as_os_str()));
        if relevant {
            let _ = tx.send(());
        }
    })?;
    watcher.watch(&dir, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}
