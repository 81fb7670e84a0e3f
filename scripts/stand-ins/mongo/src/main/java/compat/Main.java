package compat;

import java.io.DataInputStream;
import java.net.Socket;
import java.util.List;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Usage: java -jar mongo-java-server-runner.jar [memory|h2] [host] [port] [h2-file]
 * System properties: -Dcompat=false runs the plain backend (no CompatBackend wrapper);
 * -Dttl.seconds=N sets the TTL monitor interval (default 1; 0 disables it);
 * -Dexit.after.bind=true starts and exits at once (to train a CDS archive, see start-mongo-java-server.sh).
 */
public final class Main {
    /** Sends a few OP_MSG commands (hello, ping, insert, find, aggregate) to the server and reads the replies. */
    private static void train(java.net.InetSocketAddress addr) throws Exception {
        List<Document> commands = List.of(
            new Document("hello", 1).append("$db", "admin"),
            new Document("isMaster", 1).append("$db", "admin"),
            new Document("ping", 1).append("$db", "admin"),
            new Document("insert", "t").append("documents", List.of(new Document("a", 1))).append("$db", "cds"),
            new Document("find", "t").append("filter", new Document("a", 1)).append("$db", "cds"),
            new Document("aggregate", "t").append("pipeline", List.of(new Document("$match", new Document("a", 1))))
                .append("cursor", new Document()).append("$db", "cds"),
            new Document("dropDatabase", 1).append("$db", "cds"));
        try (Socket socket = new Socket(addr.getAddress(), addr.getPort())) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int requestId = 1;
            for (Document cmd : commands) {
                ByteBuf body = Unpooled.buffer();
                BsonEncoder.encodeDocument(cmd, body);
                ByteBuf msg = Unpooled.buffer();
                msg.writeIntLE(16 + 4 + 1 + body.readableBytes());
                msg.writeIntLE(requestId++);
                msg.writeIntLE(0);
                msg.writeIntLE(2013);  // OP_MSG
                msg.writeIntLE(0);     // flagBits
                msg.writeByte(0);      // section kind 0: body
                msg.writeBytes(body);
                byte[] bytes = new byte[msg.readableBytes()];
                msg.readBytes(bytes);
                socket.getOutputStream().write(bytes);
                int len = Integer.reverseBytes(in.readInt());
                in.readFully(new byte[len - 4]);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "memory";
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 27017;
        MongoBackend backend;
        if (kind.equals("h2")) {
            backend = args.length > 3 ? new H2Backend(args[3]) : H2Backend.inMemory();
        } else {
            backend = new MemoryBackend();
        }
        boolean compat = !"false".equals(System.getProperty("compat"));
        if (compat) {
            backend = new CompatBackend(backend, Integer.getInteger("ttl.seconds", 1));
        }
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        System.out.println("mongo-java-server (" + kind + (compat ? ", compat" : "") + ") listening on " + host + ":" + port);
        if (Boolean.getBoolean("exit.after.bind")) {
            // Training run for a class-data-sharing archive (-XX:ArchiveClassesAtExit): start, answer the
            // commands a driver sends first, then leave.
            train(server.getLocalAddress());
            server.shutdownNow();
            System.exit(0);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        Thread.currentThread().join();
    }
}
