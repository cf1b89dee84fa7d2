package org.pthread4j.examples;

import static org.pthread4j.Pthreads.*;

import java.util.Arrays;
import org.pthread4j.pthread_barrier_t;
import org.pthread4j.pthread_t;

/**
 * life: Conway's Game of Life on a small torus. Each thread computes a band of rows of the
 * next generation; a barrier separates the generations, and the one thread that
 * pthread_barrier_wait names PTHREAD_BARRIER_SERIAL_THREAD swaps the grids and reports. The
 * result is compared with a plain sequential run. Port of {@code examples/life/life.c}.
 *
 * <p>Lesson: a barrier turns "compute, then publish" into phases that no thread can run ahead
 * of; two waits per generation (after computing, after swapping) keep everyone reading the
 * grid the serial thread just published.
 */
public final class Life {

    static final int ROWS = 24;
    static final int COLS = 60;

    static final byte[][][] grid = new byte[2][ROWS][COLS];
    static final byte[][][] seq = new byte[2][ROWS][COLS];
    static int cur;                         // grid[cur] is the current generation
    static int generations, generation, threads;
    static final pthread_barrier_t computed = new pthread_barrier_t(), swapped = new pthread_barrier_t();
    static int seed = 2024;

    static void check(int rc, String what) {
        if (rc != 0) {
            System.err.printf("%s: %s%n", what, strerror(rc));
            System.exit(1);
        }
    }

    static int next_random() {              // the same numbers in C and Java
        seed = seed * 1103515245 + 12345;   // int arithmetic wraps like C's unsigned
        return (seed >>> 16) & 0x7fff;
    }

    static int neighbours(byte[][] g, int r, int c) {
        int n = 0;
        for (int dr = -1; dr <= 1; dr++) {
            for (int dc = -1; dc <= 1; dc++) {
                if (dr != 0 || dc != 0) {
                    n += g[(r + dr + ROWS) % ROWS][(c + dc + COLS) % COLS];
                }
            }
        }
        return n;
    }

    static void step_rows(byte[][] from, byte[][] to, int first, int last) {
        for (int r = first; r < last; r++) {
            for (int c = 0; c < COLS; c++) {
                int n = neighbours(from, r, c);
                to[r][c] = (byte) (n == 3 || (n == 2 && from[r][c] != 0) ? 1 : 0);
            }
        }
    }

    static int population(byte[][] g) {
        int alive = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                alive += g[r][c];
            }
        }
        return alive;
    }

    static Object worker(Object arg) {
        int id = (Integer) arg;
        int first = id * ROWS / threads, last = (id + 1) * ROWS / threads;
        for (int gen = 0; gen < generations; gen++) {
            step_rows(grid[cur], grid[1 - cur], first, last);
            int r = pthread_barrier_wait(computed);
            if (r == PTHREAD_BARRIER_SERIAL_THREAD) {     // exactly one thread per generation
                cur = 1 - cur;
                generation++;
                if (generation % 25 == 0) {
                    System.out.printf("generation %d: %d alive%n", generation, population(grid[cur]));
                }
            } else {
                check(r, "pthread_barrier_wait");
            }
            r = pthread_barrier_wait(swapped);
            if (r != PTHREAD_BARRIER_SERIAL_THREAD) {
                check(r, "pthread_barrier_wait");
            }
        }
        return null;
    }

    public static void main(String[] args) {
        generations = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        if (generations < 0 || threads < 1 || threads > ROWS) {
            System.err.printf("usage: life [generations] [threads (1..%d)]%n", ROWS);
            System.exit(2);
        }
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                grid[0][r][c] = (byte) (next_random() % 4 == 0 ? 1 : 0);
            }
        }
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(grid[0][r], 0, seq[0][r], 0, COLS);       // memcpy(seq[0], grid[0], ...)
        }
        System.out.printf("generation 0: %d alive (%d x %d torus, %d threads)%n", population(grid[0]), ROWS, COLS, threads);

        check(pthread_barrier_init(computed, null, threads), "pthread_barrier_init");
        check(pthread_barrier_init(swapped, null, threads), "pthread_barrier_init");
        pthread_t[] t = new pthread_t[threads];
        for (int i = 0; i < threads; i++) {
            t[i] = new pthread_t();
            check(pthread_create(t[i], null, Life::worker, i), "pthread_create");
        }
        for (int i = 0; i < threads; i++) {
            check(pthread_join(t[i], null), "pthread_join");
        }
        check(pthread_barrier_destroy(swapped), "pthread_barrier_destroy");
        check(pthread_barrier_destroy(computed), "pthread_barrier_destroy");

        int s = 0;
        for (int gen = 0; gen < generations; gen++) {
            step_rows(seq[s], seq[1 - s], 0, ROWS);
            s = 1 - s;
        }
        boolean same = Arrays.deepEquals(seq[s], grid[cur]);          // memcmp(...) == 0

        System.out.printf("final grid, generation %d:%n", generation);
        StringBuilder line = new StringBuilder();
        for (int r = 0; r < ROWS; r++) {
            line.setLength(0);
            for (int c = 0; c < COLS; c++) {
                line.append(grid[cur][r][c] != 0 ? '#' : '.');          // putchar
            }
            System.out.println(line);
        }
        System.out.printf("parallel result equals the sequential one: %s%n", same ? "yes" : "NO");
        if (!same) {
            System.exit(1);
        }
    }
}
