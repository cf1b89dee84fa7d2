module org.example.consumer {
    requires org.pthread4j;
}
