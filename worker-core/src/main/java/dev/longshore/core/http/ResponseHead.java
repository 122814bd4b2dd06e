package dev.longshore.core.http;

/** The status and headers of an answer. */
record ResponseHead(int status, ResponseHeaders headers) {
}
