package org.pthread4j.spi;

/** Linux's errno numbers, as every layer of pthread4j returns them. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENOSYS = 38;
    public static final int ENOTSUP = 95;
    public static final int EOVERFLOW = 75;
    public static final int ETIMEDOUT = 110;
    public static final int ECANCELED = 125;
    public static final int EOWNERDEAD = 130;
    public static final int ENOTRECOVERABLE = 131;

    private Errno() {}

    /** The message glibc's strerror gives for the numbers pthread4j returns. */
    public static String message(int errnum) {
        return switch (errnum) {
            case 0 -> "Success";
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case ESRCH -> "No such process";
            case EINTR -> "Interrupted system call";
            case EIO -> "Input/output error";
            case EBADF -> "Bad file descriptor";
            case EAGAIN -> "Resource temporarily unavailable";
            case ENOMEM -> "Cannot allocate memory";
            case EFAULT -> "Bad address";
            case EBUSY -> "Device or resource busy";
            case EINVAL -> "Invalid argument";
            case ERANGE -> "Numerical result out of range";
            case EDEADLK -> "Resource deadlock avoided";
            case ENOSYS -> "Function not implemented";
            case ENOTSUP -> "Operation not supported";
            case EOVERFLOW -> "Value too large for defined data type";
            case ETIMEDOUT -> "Connection timed out";
            case ECANCELED -> "Operation canceled";
            case EOWNERDEAD -> "Owner died";
            case ENOTRECOVERABLE -> "State not recoverable";
            default -> "Unknown error " + errnum;
        };
    }
}
