package io.sipai.gateway.problems;

import java.io.IOException;

/** Thrown while reading a request body that exceeds the limit; answered as 413. */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("the request body exceeds " + limit + " bytes");
    }
}
