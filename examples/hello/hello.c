/*
 * hello: start N threads, hand each one its own argument, join them all.
 *
 * Lesson: pthread_create passes one void * to the start routine; to pass more,
 * point it at a struct that lives until the thread is done with it.
 *
 *     gcc -O2 -pthread -o hello hello.c && ./hello [threads]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_THREADS 8

static const char *greetings[] = {
    "Hello, world!", "Bonjour, le monde !", "Hallo, Welt!", "Hola, mundo!",
    "Ciao, mondo!", "Ola, mundo!", "Hej, varlden!", "Salve, munde!",
};
#define GREETINGS (sizeof greetings / sizeof greetings[0])

struct thread_data {
    int id;
    int n;
    const char *greeting;
};

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", what, strerror(rc));
        exit(1);
    }
}

static void *hello(void *arg)
{
    struct thread_data *data = arg;
    printf("thread %d of %d: %s\n", data->id, data->n, data->greeting);
    return NULL;
}

int main(int argc, char *argv[])
{
    int n = argc > 1 ? atoi(argv[1]) : DEFAULT_THREADS;
    if (n < 1) {
        fprintf(stderr, "usage: hello [threads]\n");
        exit(2);
    }
    pthread_t *threads = malloc(n * sizeof *threads);
    struct thread_data *data = malloc(n * sizeof *data);

    for (int i = 0; i < n; i++) {
        data[i].id = i;
        data[i].n = n;
        data[i].greeting = greetings[i % GREETINGS];
        check(pthread_create(&threads[i], NULL, hello, &data[i]), "pthread_create");
    }
    for (int i = 0; i < n; i++)
        check(pthread_join(threads[i], NULL), "pthread_join");

    printf("main: %d threads said hello and were joined\n", n);
    free(data);
    free(threads);
    return 0;
}
