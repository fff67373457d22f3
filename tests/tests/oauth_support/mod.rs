//! A sandbox and a client that speak OAuth to it: sign-in redirects, form posts, bearer calls,
//! and service-account assertions signed with the fixture key.

#![allow(dead_code)]

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use gws_sandbox::Sandbox;
use gws_sandbox::oauth::{CLIENT_ID, CLIENT_SECRET, SERVICE_ACCOUNT_KEY};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, LOCATION};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};

/// The redirect URI the tests sign in with: loopback, as a desktop app uses.
pub const REDIRECT: &str = "http://127.0.0.1:8000/oauth2callback";

/// A PKCE verifier and its S256 challenge (RFC 7636, appendix B).
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

pub const GMAIL: &str = "https://mail.google.com/";
pub const DRIVE_READONLY: &str = "https://www.googleapis.com/auth/drive.readonly";

/// A running sandbox and a client that does not follow redirects.
pub struct Google {
    pub sandbox: Sandbox,
    client: reqwest::Client,
}

/// What the authorization endpoint answered.
pub struct Authorized {
    pub status: u16,
    /// The decoded query of the `Location` it redirected to, if it did.
    pub query: HashMap<String, String>,
    /// The redirect target up to its query.
    pub target: String,
    pub body: String,
}

impl Google {
    pub async fn start() -> Google {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let sandbox = Sandbox::start(0)
            .await
            .expect("the sandbox binds a free port");
        Google { sandbox, client }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.url())
    }

    /// `GET /o/oauth2/v2/auth` with `params`.
    pub async fn authorize(&self, params: &[(&str, &str)]) -> Authorized {
        let query = encode(params);
        let response = self
            .client
            .get(self.url(&format!("/o/oauth2/v2/auth?{query}")))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let (target, query) = location.split_once('?').unwrap_or((&location, ""));
        Authorized {
            status,
            target: target.to_string(),
            query: form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
            body: response.text().await.unwrap(),
        }
    }

    /// The usual desktop sign-in request: S256 PKCE, offline, consent, a state.
    pub async fn authorize_with(&self, scope: &str, extra: &[(&str, &str)]) -> Authorized {
        let mut params = vec![
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("response_type", "code"),
            ("scope", scope),
            ("state", "st-42"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("access_type", "offline"),
            ("prompt", "consent"),
        ];
        for (name, value) in extra {
            params.retain(|(n, _)| n != name);
            params.push((name, value));
        }
        self.authorize(&params).await
    }

    /// `POST /token` with a form body.
    pub async fn token(&self, form: &[(&str, &str)]) -> (u16, Value) {
        self.post_form("/token", form, None).await
    }

    /// `POST path` with a form body and an optional `Authorization` header.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        authorization: Option<&str>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.url(path))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encode(form));
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        read(request.send().await.unwrap()).await
    }

    /// Exchanges `code` as a confidential client with the PKCE verifier.
    pub async fn exchange(&self, code: &str) -> (u16, Value) {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code_verifier", VERIFIER),
        ])
        .await
    }

    /// Signs in with `scope` and returns the token reply.
    pub async fn sign_in(&self, scope: &str) -> Value {
        let authorized = self.authorize_with(scope, &[]).await;
        assert_eq!(authorized.status, 302, "{}", authorized.body);
        let (status, body) = self.exchange(&authorized.query["code"]).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Refreshes with the seeded client's credentials in the form.
    pub async fn refresh(&self, refresh_token: &str) -> (u16, Value) {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .await
    }

    /// `GET path` with `Authorization: Bearer token`.
    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let request = self.client.get(self.url(path)).bearer_auth(token);
        read(request.send().await.unwrap()).await
    }

    /// `POST path` with a JSON body and no token (the control routes).
    pub async fn control(&self, path: &str, body: &Value) -> (u16, Value) {
        read(
            self.client
                .post(self.url(path))
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// `POST path` with a JSON body and a bearer token (Google write routes).
    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        let request = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body);
        read(request.send().await.unwrap()).await
    }
}

async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Form-encodes pairs.
pub fn encode(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// `Basic base64(id:secret)`.
pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// Now, in seconds since the epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A service-account assertion signed with the fixture key, as client libraries build it.
pub fn assertion(claims: &Value) -> String {
    let doc: Value = serde_json::from_str(SERVICE_ACCOUNT_KEY).unwrap();
    let der: String = doc["private_key"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let pair = RsaKeyPair::from_pkcs8(&STANDARD.decode(der).unwrap()).unwrap();
    let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": doc["private_key_id"]});
    let input = format!("{}.{}", part(&header), part(claims));
    let mut signature = vec![0; pair.public().modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}
