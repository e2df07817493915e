"""衔接 (Xianjie): the platform of 《行政执法监督与纪检监察监督工作衔接机制（试行）》."""
