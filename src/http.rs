//! The optional health and metrics endpoint (`[http] listen`, meant for 127.0.0.1):
//! `GET /healthz` (ready, age of the last poll, outbox depth) and `GET /metrics`
//! (Prometheus text format).

use std::sync::atomic::Ordering;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::metrics::metrics;

/// Serves the endpoint until the process ends.
pub async fn serve(listen: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(%listen, "health and metrics endpoint listening");
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(prometheus));
    axum::serve(listener, app).await
}

async fn healthz() -> impl IntoResponse {
    let m = metrics();
    let last = m.last_poll_unix.load(Ordering::Relaxed);
    let ready = last > 0;
    let age = if ready {
        Some((chrono::Utc::now().timestamp() - last).max(0))
    } else {
        None
    };
    let body = serde_json::json!({
        "status": if ready { "ok" } else { "starting" },
        "last_poll_age_seconds": age,
        "outbox_depth": m.outbox_depth.load(Ordering::Relaxed),
    });
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
}

async fn prometheus() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics().render(),
    )
}
