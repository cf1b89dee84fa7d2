package org.pthread4j;

import org.pthread4j.sync.Once;

/** A once control. {@code new pthread_once_t()} is {@code PTHREAD_ONCE_INIT}. */
public final class pthread_once_t {
    final Once impl = new Once();

    public pthread_once_t() {}
}
