package dev.longshore.video.request;

/** The payload can never be transcoded as sent; the message names the field and what is wrong with it. */
public final class InvalidRequestException extends Exception {
    public InvalidRequestException(String message) {
        super(message);
    }
}
