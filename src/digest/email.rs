//! Sending a digest by email (SMTP with STARTTLS, implicit TLS, or plain on a trusted
//! network), as a multipart message with a plain-text and an HTML part.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Email, SmtpSecurity};

/// Why an email could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("the SMTP server {server} refused the login for `{user}`; check [digest.email] username and password")]
    Auth { server: String, user: String },
    #[error("cannot send the digest through {server}: {message}; check that the server is up and [digest.email] smtp, port and security")]
    Send { server: String, message: String },
    #[error("cannot build the digest email: {0}")]
    Build(String),
}

/// Sends one digest.
pub async fn send(email: &Email, subject: &str, text: &str, html: &str) -> Result<(), EmailError> {
    let server = format!("{}:{}", email.smtp, email.port);
    let mut builder = Message::builder().from(email.from.clone()).subject(subject);
    for to in &email.to {
        builder = builder.to(to.clone());
    }
    let message = builder
        .multipart(MultiPart::alternative_plain_html(
            text.to_string(),
            html.to_string(),
        ))
        .map_err(|e| EmailError::Build(e.to_string()))?;
    let relay = match email.security {
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&email.smtp),
        SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&email.smtp),
        SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &email.smtp,
        )),
    }
    .map_err(|e| EmailError::Send {
        server: server.clone(),
        message: e.to_string(),
    })?;
    let mut relay = relay
        .port(email.port)
        .timeout(Some(std::time::Duration::from_secs(20)));
    if let (Some(user), Some(password)) = (&email.username, &email.password) {
        relay = relay.credentials(Credentials::new(user.clone(), password.clone()));
    }
    let transport: AsyncSmtpTransport<Tokio1Executor> = relay.build();
    transport.send(message).await.map(|_| ()).map_err(|e| {
        let auth_failed = e
            .status()
            .is_some_and(|code| code.to_string().starts_with("535"))
            || e.to_string().to_lowercase().contains("authentication");
        match (&email.username, auth_failed) {
            (Some(user), true) => EmailError::Auth {
                server: server.clone(),
                user: user.clone(),
            },
            _ => EmailError::Send {
                server: server.clone(),
                message: first_line(&e.to_string()),
            },
        }
    })
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// Parses a mailbox ("Name <a@b>" or "a@b").
pub fn mailbox(text: &str) -> Option<Mailbox> {
    text.trim().parse().ok()
}
