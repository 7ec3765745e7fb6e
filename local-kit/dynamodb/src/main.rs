//! The local kit's DynamoDB: fakecloud's DynamoDB service (the `fakecloud-dynamodb` crate)
//! behind fakecloud's own request dispatch, without the hundred other services of the
//! `fakecloud` binary, so a machine builds it in minutes rather than most of an hour.
//!
//! Usage: tolls-dynamodb --addr 127.0.0.1:8000 [--region us-east-1] [--account-id 000000000000]

use std::{net::SocketAddr, process::ExitCode, sync::Arc, time::Duration};

use axum::{routing::get, Extension, Router};
use fakecloud_core::{
    dispatch::{self, DispatchConfig},
    multi_account::MultiAccountState,
    registry::ServiceRegistry,
};
use fakecloud_dynamodb::{ttl, DynamoDbService, SharedDynamoDbState};
use tokio::signal::unix::{signal, SignalKind};

/// AWS deletes expired items within days, not at once; a minute keeps the kit's tables close
/// to that without a sweep that competes with requests.
const TTL_SWEEP_INTERVAL: Duration = Duration::from_secs(60);

struct Options {
    addr: SocketAddr,
    region: String,
    account_id: String,
}

fn parse_options() -> Result<Options, String> {
    let mut addr = None;
    let mut region = "us-east-1".to_string();
    let mut account_id = "000000000000".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--addr" => addr = Some(value.parse().map_err(|e| format!("--addr {value}: {e}"))?),
            "--region" => region = value,
            "--account-id" => account_id = value,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let addr = addr.ok_or("--addr HOST:PORT is required")?;
    Ok(Options { addr, region, account_id })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FAKECLOUD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("tolls-dynamodb: {message}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(options.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("tolls-dynamodb: cannot listen on {}: {e}", options.addr);
            return ExitCode::from(1);
        }
    };
    let endpoint = format!("http://{}", options.addr);
    let state: SharedDynamoDbState = Arc::new(parking_lot::RwLock::new(MultiAccountState::new(
        &options.account_id,
        &options.region,
        &endpoint,
    )));

    let mut registry = ServiceRegistry::new();
    registry.register(Arc::new(
        DynamoDbService::new(state.clone()).with_region(options.region.clone()),
    ));
    let app = Router::new()
        .route("/_fakecloud/health", get(|| async { "ok" }))
        .fallback(dispatch::dispatch)
        .layer(Extension(Arc::new(registry)))
        .layer(Extension(Arc::new(DispatchConfig::new(
            options.region.clone(),
            options.account_id.clone(),
        ))));

    let sweeper_state = state.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TTL_SWEEP_INTERVAL);
        loop {
            interval.tick().await;
            ttl::process_ttl_expirations(&sweeper_state);
        }
    });

    // The crate's version is the fakecloud-dynamodb it builds (Cargo.toml).
    eprintln!(
        "tolls-dynamodb: fakecloud-dynamodb {} listening on {endpoint}",
        env!("CARGO_PKG_VERSION")
    );
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_requested())
        .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tolls-dynamodb: {e}");
            ExitCode::from(1)
        }
    }
}

async fn shutdown_requested() {
    let mut terminate = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}
