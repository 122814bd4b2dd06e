package dev.longshore.core.gate;

/**
 * Asked before every receive: a closed gate puts the worker in PAUSED and no ReceiveMessage is made until it
 * opens again. Implementations must answer quickly (cache expensive probes) and never throw.
 */
@FunctionalInterface
public interface ReceiveGate {
    GateStatus check();
}
