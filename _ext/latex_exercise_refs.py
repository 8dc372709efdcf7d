"""The printed book (`make pdf`): a reference to an exercise of another chapter prints its number.

sphinx-exercise labels an exercise in LaTeX as ``exercise:<label>`` and turns a reference to it
from the same chapter into ``\\hyperref[exercise:<label>]{Exercise N}``. A reference from
another chapter reaches the LaTeX writer as a plain number reference, which prints
``Exercise \\ref{<chapter>:<label>}``: a label that does not exist, so the page says
"Exercise ??". This turns those into the same hyperref, with the number Sphinx resolved.
The website is not touched (the transform runs for LaTeX only).
"""

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_latex_number_reference


class CrossChapterExerciseReferences(SphinxPostTransform):
    default_priority = 23  # after sphinx-exercise's own rewriting of same-chapter references (22)
    formats = ("latex",)

    def run(self):
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for node in list(self.document.findall(nodes.reference)):
            # in the one LaTeX document, a reference to another page is "%<docname>#<label>"
            uri = node.get("refuri", "")
            if not uri.startswith("%") or "#" not in uri:
                continue
            label = uri.split("#", 1)[1]
            target = registry.get(label, {}).get("node")
            if not isinstance(target, exercise_enumerable_node):
                continue
            # "Solution to Exercise N": the title's space sits inside the link text, where
            # \hyperref would drop it, so it goes before the link
            text = node.astext()
            reference = exercise_latex_number_reference()
            reference["refid"] = label
            reference += nodes.Text(text.lstrip())
            lead = text[:len(text) - len(text.lstrip())]
            node.replace_self([nodes.Text(lead), reference] if lead else reference)


def setup(app):
    app.add_post_transform(CrossChapterExerciseReferences)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
