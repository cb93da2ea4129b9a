//! Ends the server when the client says `exit` or closes its input, even while a handler
//! still waits for an answer from the client (tower-lsp's `Server::serve` waits for every
//! handler, so one unanswered `workspace/inlayHint/refresh` would keep the process alive).

use super::Ending;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::Request;
use tower_service::Service;

/// The input, signalling `finished` when it ends or fails.
pub struct WatchInput<R> {
    pub inner: R,
    pub finished: Arc<Notify>,
}

impl<R: AsyncRead + Unpin> AsyncRead for WatchInput<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buffer.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(context, buffer);
        let ended = match &result {
            Poll::Ready(Ok(())) => buffer.filled().len() == before && buffer.remaining() > 0,
            Poll::Ready(Err(_)) => true,
            Poll::Pending => false,
        };
        if ended {
            self.finished.notify_one();
        }
        result
    }
}

/// The service, signalling `finished` when it is handed the `exit` notification, and noting
/// whether `shutdown` came first.
pub struct WatchExit<S> {
    pub inner: S,
    pub finished: Arc<Notify>,
    pub state: ExitState,
}

/// Whether `shutdown` and `exit` were received, shared with the session that reports how it
/// ended.
#[derive(Debug, Clone, Default)]
pub struct ExitState {
    shutdown: Arc<AtomicBool>,
    exit_without_shutdown: Arc<AtomicBool>,
}

impl ExitState {
    pub fn ending(&self) -> Ending {
        if self.exit_without_shutdown.load(Ordering::SeqCst) {
            Ending::ExitWithoutShutdown
        } else {
            Ending::Clean
        }
    }
}

impl<S: Service<Request>> Service<Request> for WatchExit<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request) -> S::Future {
        let exit = request.method() == "exit";
        if request.method() == "shutdown" {
            self.state.shutdown.store(true, Ordering::SeqCst);
        }
        if exit && !self.state.shutdown.load(Ordering::SeqCst) {
            self.state
                .exit_without_shutdown
                .store(true, Ordering::SeqCst);
        }
        let future = self.inner.call(request);
        if exit {
            self.finished.notify_one();
        }
        future
    }
}
