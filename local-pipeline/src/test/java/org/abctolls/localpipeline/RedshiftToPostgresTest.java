package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abctolls.localkit.LocalKit;
import org.junit.jupiter.api.Test;

class RedshiftToPostgresTest {

    @Test
    void onlyTheLayoutClausesTheIdentityColumnAndTheClockChange() {
        String redshift = "CREATE TABLE t (\n  a VARCHAR(5) NOT NULL,\n  at TIMESTAMPTZ DEFAULT GETDATE(),\n"
                + "  seq BIGINT IDENTITY(1, 1)\n)\nDISTKEY (a)\nSORTKEY (at);";

        assertThat(RedshiftToPostgres.translate(redshift))
                .isEqualTo("CREATE TABLE t (\n  a VARCHAR(5) NOT NULL,\n  at TIMESTAMPTZ DEFAULT now(),\n"
                        + "  seq BIGINT GENERATED ALWAYS AS IDENTITY\n);");
        assertThat(RedshiftToPostgres.translate("CREATE USER \"u_clone\" PASSWORD DISABLE"))
                .isEqualTo("CREATE USER \"u_clone\" PASSWORD NULL");
        assertThat(RedshiftToPostgres.translate("ALTER USER \"u\" PASSWORD 'md5abc'"))
                .isEqualTo("ALTER USER \"u\" PASSWORD 'md5abc'");
    }

    @Test
    void theWarehouseDdlIsTheTableThenTheView() throws Exception {
        Path root = LocalKit.find(System.getenv()).repositoryRoot();

        List<Path> files = WarehouseLoader.ddlFiles(root);

        assertThat(files)
                .extracting(file -> file.getFileName().toString())
                .containsExactly("01_toll_events.sql", "02_toll_passages.sql");
        assertThat(RedshiftToPostgres.translate(Files.readString(files.get(0), StandardCharsets.UTF_8)))
                .doesNotContainIgnoringCase("DISTKEY")
                .doesNotContainIgnoringCase("SORTKEY")
                .contains("GENERATED ALWAYS AS IDENTITY");
        assertThat(RedshiftToPostgres.translate(Files.readString(files.get(1), StandardCharsets.UTF_8)))
                .isEqualTo(Files.readString(files.get(1), StandardCharsets.UTF_8));
    }
}
