package dev.longshore.video.storage;

/** Where an input is read from or an output is written to, parsed and validated from the job's payload. */
public sealed interface Location permits FileLocation, S3Location, HttpLocation {

    /** The location as a URI for logs, manifests and result messages: never with a query string or user info. */
    String display();
}
