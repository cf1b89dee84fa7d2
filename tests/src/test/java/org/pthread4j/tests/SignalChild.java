package org.pthread4j.tests;

import static org.pthread4j.Pthreads.*;

import org.pthread4j.*;

/**
 * SignalTest's child JVM. {@code sigwait}: blocks SIGUSR1, prints "ready", takes one SIGUSR1
 * (sent from outside with kill(1)) and prints its number and si_code. {@code term}: sends
 * itself SIGTERM, whose default action ends the process.
 */
public final class SignalChild {

    public static void main(String[] args) {
        sigset_t set = new sigset_t();
        sigemptyset(set);
        switch (args[0]) {
            case "sigwait" -> {
                sigaddset(set, SIGUSR1);
                sigprocmask(SIG_BLOCK, set, null);
                System.out.println("ready");
                System.out.flush();
                siginfo_t info = new siginfo_t();
                int sig = sigwaitinfo(set, info);
                System.out.println("got " + sig + " code " + info.si_code);
            }
            case "term" -> {
                kill((int) ProcessHandle.current().pid(), SIGTERM);
                System.out.println("kill returned");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
