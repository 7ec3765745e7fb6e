package org.abctolls.localpipeline;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.Warehouse;
import picocli.CommandLine;

/**
 * {@code ./tolls warehouse sql QUERY}: an analyst's query on the kit's warehouse, in the
 * schema of the newest run (a demo's or a replay's), printed as a table.
 */
@CommandLine.Command(
        name = "warehouse sql",
        mixinStandardHelpOptions = true,
        description = "Runs a SQL query on the local warehouse (the kit up), in the newest run's schema.")
public final class WarehouseSql implements Callable<Integer> {

    @CommandLine.Parameters(
            index = "0",
            paramLabel = "QUERY",
            description = "for example \"SELECT count(*) FROM toll_passages\"")
    String query;

    @CommandLine.Option(
            names = "--schema",
            description = "the run's schema (the demo prints it); default: the newest run's")
    String schema;

    @CommandLine.Option(names = "--max-rows", defaultValue = "100", description = "rows printed at most (default 100)")
    int maxRows;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new WarehouseSql(), args));
    }

    @Override
    public Integer call() throws SQLException {
        PrintWriter console = spec.commandLine().getOut();
        Warehouse warehouse = AwsTarget.of(System.getenv())
                .warehouse()
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(), "no local warehouse: start the kit with ./tolls local up"));
        try (Connection connection = warehouse.connect()) {
            String runSchema = schema != null ? schema : newestRunSchema(connection);
            if (runSchema == null) {
                spec.commandLine().getErr().println("the warehouse holds no run yet: run ./tolls demo with the kit up");
                return 1;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET search_path TO " + LocalWarehouse.schemaOf(runSchema));
                statement.setMaxRows(maxRows);
                try (ResultSet rows = statement.executeQuery(query)) {
                    print(console, rows);
                }
            }
        } catch (SQLException e) {
            spec.commandLine().getErr().println("warehouse: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** The schema whose tables were made last: the newest run's. */
    private static String newestRunSchema(Connection connection) throws SQLException {
        return LocalWarehouse.rows(
                        connection,
                        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE c.relname = 'loaded_objects' ORDER BY c.oid DESC LIMIT 1",
                        row -> row.getString(1))
                .stream()
                .findFirst()
                .orElse(null);
    }

    private static void print(PrintWriter console, ResultSet rows) throws SQLException {
        ResultSetMetaData columns = rows.getMetaData();
        int count = columns.getColumnCount();
        List<String[]> table = new ArrayList<>();
        String[] header = new String[count];
        for (int column = 1; column <= count; column++) {
            header[column - 1] = columns.getColumnLabel(column);
        }
        table.add(header);
        while (rows.next()) {
            String[] line = new String[count];
            for (int column = 1; column <= count; column++) {
                line[column - 1] = String.valueOf(rows.getString(column));
            }
            table.add(line);
        }
        int[] widths = new int[count];
        for (String[] line : table) {
            for (int column = 0; column < count; column++) {
                widths[column] = Math.max(widths[column], line[column].length());
            }
        }
        for (int at = 0; at < table.size(); at++) {
            StringBuilder out = new StringBuilder();
            for (int column = 0; column < count; column++) {
                out.append(column == 0 ? "" : " | ")
                        .append(String.format("%-" + widths[column] + "s", table.get(at)[column]));
            }
            console.println(out.toString().stripTrailing());
            if (at == 0) {
                StringBuilder rule = new StringBuilder();
                for (int column = 0; column < count; column++) {
                    rule.append(column == 0 ? "" : "-+-").append("-".repeat(widths[column]));
                }
                console.println(rule);
            }
        }
        console.printf("(%d rows)%n", table.size() - 1);
    }
}
