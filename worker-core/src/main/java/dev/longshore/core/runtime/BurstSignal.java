package dev.longshore.core.runtime;

/**
 * Tells the extra pollers when the queue is busy. Only the primary poller long-polls while the queue is empty
 * (one request per 20 s: an idle worker costs almost nothing); when a receive comes back full, the extra
 * pollers join in so that receives overlap, and each goes back to sleep after an empty receive.
 */
final class BurstSignal {
    private boolean busy;

    synchronized void busy() {
        if (!busy) {
            busy = true;
            notifyAll();
        }
    }

    synchronized void quiet() {
        busy = false;
    }

    synchronized boolean isBusy() {
        return busy;
    }

    /** Waits until busy or the timeout passes; returns whether busy. */
    synchronized boolean awaitBusy(long timeoutMs) throws InterruptedException {
        if (!busy) {
            wait(timeoutMs);
        }
        return busy;
    }

    /** Wakes every waiting poller (drain). */
    synchronized void wakeAll() {
        notifyAll();
    }
}
