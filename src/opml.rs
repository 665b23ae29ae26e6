//! OPML in and out: `feeds import` turns an OPML subscription list into `[[feed]]` tables
//! (folders become tags), `feeds export` writes the configured feeds as OPML.

use crate::config::Feed;

/// Why an OPML file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OpmlError {
    #[error("not a valid OPML document: {0}")]
    Invalid(String),
    #[error("cannot write OPML: {0}")]
    Write(String),
}

/// A feed found in an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFeed {
    pub url: String,
    pub name: String,
    /// The titles of the folders it was in.
    pub tags: Vec<String>,
}

/// Every feed of an OPML document, folders flattened into tags.
pub fn import(xml: &str) -> Result<Vec<ImportedFeed>, OpmlError> {
    let document = opml::OPML::from_str(xml).map_err(|e| OpmlError::Invalid(e.to_string()))?;
    let mut feeds = Vec::new();
    let mut stack: Vec<(&opml::Outline, Vec<String>)> = document
        .body
        .outlines
        .iter()
        .rev()
        .map(|o| (o, Vec::new()))
        .collect();
    while let Some((outline, tags)) = stack.pop() {
        let name = outline
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| outline.text.clone());
        match &outline.xml_url {
            Some(url) if !url.trim().is_empty() => feeds.push(ImportedFeed {
                url: url.trim().to_string(),
                name: name.trim().to_string(),
                tags: tags.clone(),
            }),
            _ => {
                let mut inner = tags.clone();
                if !name.trim().is_empty() {
                    inner.push(name.trim().to_string());
                }
                stack.extend(outline.outlines.iter().rev().map(|o| (o, inner.clone())));
            }
        }
    }
    Ok(feeds)
}

/// `[[feed]]` tables for imported feeds, ready to append to a config.
pub fn to_toml(feeds: &[ImportedFeed]) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    for feed in feeds {
        out.push_str(&format!(
            "[[feed]]\nurl = {}\nname = {}\n",
            quote(&feed.url),
            quote(&feed.name)
        ));
        if !feed.tags.is_empty() {
            let tags: Vec<String> = feed.tags.iter().map(|t| quote(t)).collect();
            out.push_str(&format!("tags = [{}]\n", tags.join(", ")));
        }
        out.push('\n');
    }
    out
}

/// The configured feeds as an OPML document.
pub fn export(feeds: &[Feed]) -> Result<String, OpmlError> {
    let mut document = opml::OPML {
        head: Some(opml::Head {
            title: Some("wirewatch feeds".into()),
            ..opml::Head::default()
        }),
        ..opml::OPML::default()
    };
    for feed in feeds {
        document.body.outlines.push(opml::Outline {
            text: feed.name.clone(),
            title: Some(feed.name.clone()),
            r#type: Some("rss".into()),
            xml_url: Some(feed.url.to_string()),
            category: (!feed.tags.is_empty()).then(|| feed.tags.join(",")),
            ..opml::Outline::default()
        });
    }
    document
        .to_string()
        .map_err(|e| OpmlError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPML: &str = r#"<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>
<outline text="Asia"><outline text="Desk" title="Asia Desk" type="rss" xmlUrl="https://example.org/asia.xml"/></outline>
<outline text="Wire &amp; more" type="rss" xmlUrl="https://example.org/wire.xml"/>
</body></opml>"#;

    #[test]
    fn folders_become_tags() {
        let feeds = import(OPML).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(
            feeds[0],
            ImportedFeed {
                url: "https://example.org/asia.xml".into(),
                name: "Asia Desk".into(),
                tags: vec!["Asia".into()]
            }
        );
        assert_eq!(feeds[1].name, "Wire & more");
    }

    #[test]
    fn toml_output_is_valid_config() {
        let text = to_toml(&import(OPML).unwrap());
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["feed"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn invalid_opml_is_a_clear_error() {
        assert!(import("<html/>")
            .unwrap_err()
            .to_string()
            .starts_with("not a valid OPML document"));
    }
}
