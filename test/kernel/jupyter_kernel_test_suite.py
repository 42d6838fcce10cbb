"""The Jupyter project's kernel test suite (jupyter_kernel_test) against the mnist-lab kernel.

Every optional sample is filled in, so no test is skipped. Run by test/kernel/jupyter-suite.test.ts
with the kernelspec installed into a temporary JUPYTER_PATH / JUPYTER_DATA_DIR.
"""
import time
import unittest

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel


class MnistLabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "mnist-lab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "const fooBarBaz = 1;\nfooBar", "matches": {"fooBarBaz"}},
        {"text": 'import { show } from "mnist-lab";\nimport * as lab from "mnist-lab";\nlab.showUp', "matches": {"showUpdatable"}},
    ]

    complete_code_samples = ["1 + 1", "const a = 1;", "function f() { return 1 }", "if (true) {\n  f()\n}"]
    incomplete_code_samples = ["function f() {", "const x = [1,", "if (true) {", "1 +"]
    invalid_code_samples = ["const = 1;", ")", "1 +* 2"]

    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"mnist" + "-lab"', "result": "'mnist-lab'"},
        {"code": "[1, 2, 3]", "result": "[ 1, 2, 3 ]"},
        {"code": "({ [Symbol.for('Jupyter.display')]: () => ({ 'text/html': '<b>hi</b>' }) })", "mime": "text/html", "result": "<b>hi</b>"},
    ]

    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# title")', "mime": "text/markdown"},
        {"code": 'display.svg("<svg xmlns=\'http://www.w3.org/2000/svg\'/>")', "mime": "image/svg+xml"},
        {"code": "display.json({ a: 1 })", "mime": "application/json"},
        {"code": 'display({ "text/latex": "$x^2$" })', "mime": "text/latex"},
    ]

    # matches "6 * 7" only (? stands for the "*")
    code_history_pattern = "6 ? 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = 'console.log("soon gone"); clearOutput({ wait: true })'


class KernelManagerTests(unittest.TestCase):
    """What JupyterLab's buttons do, through jupyter_client's own KernelManager."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="mnist-lab")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def run_cell(self, code):
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=60, output_hook=outputs.append)
        return reply["content"], outputs

    def test_interrupt_then_restart(self):
        self.run_cell("const kept = 'yes'")
        msg_id = self.kc.execute("while (true) {}")
        time.sleep(0.5)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=20)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        content, outputs = self.run_cell("kept")
        self.assertEqual(content["status"], "ok")
        self.assertIn("'yes'", [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"])

        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=30)
        content, outputs = self.run_cell("typeof (globalThis as any).kept")
        self.assertEqual(content["execution_count"], 1)
        results = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]
        self.assertEqual(results, ["'undefined'"])

    def test_stdin_through_jupyter_client(self):
        self.kc.execute("const who = await input('who? '); `hi ${who}`", allow_stdin=True)
        request = self.kc.get_stdin_msg(timeout=20)
        self.assertEqual(request["content"]["prompt"], "who? ")
        self.kc.input("Grace")
        reply = self.kc.get_shell_msg(timeout=20)
        self.assertEqual(reply["content"]["status"], "ok")


if __name__ == "__main__":
    unittest.main()
