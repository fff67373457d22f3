//! Service accounts with domain-wide delegation: a signed JWT assertion, exchanged at the
//! token endpoint for an access token that acts as one user of the domain (`sub`).

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use ring::{
    rand::SystemRandom,
    signature::{RSA_PKCS1_SHA256, RsaKeyPair},
};
use serde::Deserialize;
use serde_json::json;

/// The parts of a service-account key file the engine uses.
#[derive(Deserialize)]
pub struct ServiceAccountKey {
    /// The account's address: the assertion's issuer.
    pub client_email: String,
    /// The PEM-encoded PKCS#8 RSA private key. Never logged.
    pub private_key: String,
    /// Where assertions are exchanged.
    #[serde(default = "default_token_uri")]
    pub token_uri: String,
}

impl std::fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("client_email", &self.client_email)
            .finish_non_exhaustive()
    }
}

fn default_token_uri() -> String {
    "https://oauth2.googleapis.com/token".to_owned()
}

/// A key ready to sign.
pub struct Signer {
    key: ServiceAccountKey,
    pair: RsaKeyPair,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.key.fmt(f)
    }
}

impl Signer {
    /// Reads a key file's JSON; the error says what is wrong without quoting the key.
    pub fn from_json(text: &str) -> Result<Signer, String> {
        let key: ServiceAccountKey = serde_json::from_str(text)
            .map_err(|e| format!("the service-account key is not valid JSON: {e}"))?;
        let der = pem_body(&key.private_key)
            .ok_or("the service-account key's `private_key` is not a PEM private key")?;
        let pair = RsaKeyPair::from_pkcs8(&der).map_err(|e| {
            format!("the service-account key's `private_key` is not a PKCS#8 RSA key: {e}")
        })?;
        Ok(Signer { key, pair })
    }

    /// The service account's address.
    pub fn email(&self) -> &str {
        &self.key.client_email
    }

    /// The token endpoint from the key file.
    pub fn token_uri(&self) -> &str {
        &self.key.token_uri
    }

    /// A signed assertion acting as `subject` with `scopes`, issued at `now` (Unix seconds),
    /// for the token endpoint `audience`.
    pub fn assertion(
        &self,
        subject: Option<&str>,
        scopes: &[String],
        audience: &str,
        now: u64,
    ) -> Result<String, String> {
        let header = json!({"alg": "RS256", "typ": "JWT"});
        let mut claims = json!({
            "iss": self.key.client_email,
            "scope": scopes.join(" "),
            "aud": audience,
            "iat": now,
            "exp": now + 3600,
        });
        if let Some(subject) = subject {
            claims["sub"] = json!(subject);
        }
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "signing the service-account assertion failed".to_owned())?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }
}

/// The DER bytes inside a PEM block.
fn pem_body(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----") && !line.is_empty())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = include_str!("../../../tests/fixtures/service-account-test-key.json");

    #[test]
    fn an_assertion_carries_the_subject_scopes_and_audience_and_verifies() {
        let signer = Signer::from_json(KEY).unwrap();
        let scopes = vec!["https://www.googleapis.com/auth/gmail.readonly".to_owned()];

        let jwt = signer
            .assertion(
                Some("ann@example.com"),
                &scopes,
                "https://oauth2.googleapis.com/token",
                1_800_000_000,
            )
            .unwrap();

        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["sub"], "ann@example.com");
        assert_eq!(claims["iss"], signer.email());
        assert_eq!(
            claims["scope"],
            "https://www.googleapis.com/auth/gmail.readonly"
        );
        assert_eq!(claims["exp"], 1_800_003_600u64);
        let public = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            signer.pair.public().as_ref(),
        );
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        public
            .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
            .unwrap();
    }

    #[test]
    fn a_broken_key_is_refused_without_quoting_it() {
        let broken = r#"{"client_email": "sa@p.iam.gserviceaccount.com", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}"#;
        let error = Signer::from_json(broken).unwrap_err();
        assert!(error.contains("PKCS#8"), "{error}");
        assert!(!error.contains("AAAA"));
    }
}
